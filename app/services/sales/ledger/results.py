"""Sales results: 月份销售实绩统计表 (表5-11) per salesperson and 重点客户管理表 (top customers).

销售额 is the sum of 销售 rows, 销货退回 and 销货折让 of their rows;
销货净额 = 销售额 − 退回 − 折让; 成本 is the cost of goods sold: the cost of 销售 rows less
the cost of goods returned (退回 rows; 折让 carries none); 毛利 = 净额 − 成本;
毛利率 = 毛利 / 净额. Every sum is made by the database on the Money columns (integer fen,
read back as Decimal); ratios are Decimal, never floats.

A 销售 or 退回 row whose 成本 was left blank has an unknown cost, not a cost of 0: a group
(a salesperson's month, the month's total, a customer's period) with such a row has an unknown
毛利 and 毛利率, shown as 成本未录入 with the number of rows missing their cost. This is what a
sales manager expects: a margin over only part of the rows would look complete while it is not
(and 折让 cannot be shared out between the rows with and without cost), and a blank would
otherwise read as a 100 % margin. The 成本 column still shows the sum of the costs entered.
Only customers whose cost is complete are ranked by 销售利润率.
"""

from dataclasses import KW_ONLY, dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, Select, and_, case, cast, func, or_, select, type_coerce

from app.extensions import db
from app.models import Customer, EntryKind, SalesEntry, User
from app.models.base import Money
from app.services.sales.ledger.operations import live

PERCENT = Decimal("0.01")
TOP = 10
AMOUNTS = ("sales", "returns", "allowances", "cost")  # Money columns of _amounts


def _fen_sum(condition, value):
    """SUM(CASE WHEN condition THEN value ELSE 0 END) in integer fen (0 for no rows)."""
    return func.coalesce(func.sum(case((condition, type_coerce(value, BigInteger)), else_=0)), 0)


def _amounts(rows, since: date | None = None) -> dict:
    """销售额, 退回, 折让 and 成本 of `rows` (entries from `since` on, if given) as integer
    fen, and missing_cost: how many of their 销售 and 退回 rows have no cost."""
    def when(*kinds):
        is_kind = rows.c.kind.in_([kind.value for kind in kinds])
        return and_(is_kind, rows.c.entry_date >= since) if since else is_kind
    cost = func.coalesce(rows.c.cost, 0)
    return {"sales": _fen_sum(when(EntryKind.SALE), rows.c.amount),
            "returns": _fen_sum(when(EntryKind.RETURN), rows.c.amount),
            "allowances": _fen_sum(when(EntryKind.ALLOWANCE), rows.c.amount),
            "cost": _fen_sum(when(EntryKind.SALE), cost) - _fen_sum(when(EntryKind.RETURN), cost),
            "missing_cost": func.count(case((and_(when(EntryKind.SALE, EntryKind.RETURN),
                                                  rows.c.cost.is_(None), rows.c.live == 1), 1)))}


def _figures(rows, since: date | None = None) -> list:
    """The columns of _amounts, the amounts read back as Money."""
    return [type_coerce(value, Money).label(name) if name in AMOUNTS else value.label(name)
            for name, value in _amounts(rows, since).items()]


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in percent to 0.01, or None when whole is zero."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(PERCENT, rounding=ROUND_HALF_UP)


def _sql_ratio(part, whole):
    """ratio(part, whole) in hundredths of a percent as an exact integer, computed by the
    database from integer fen (meant for whole > 0; NULL, not an error, when it is 0): the
    same rounding, half away from zero, so that ordering by it orders as ratio() does, ties
    included."""
    hundredths = ((func.abs(part, type_=BigInteger) * 20000 + whole)
                  // func.nullif(2 * whole, 0, type_=BigInteger))
    return case((part < 0, -hundredths), else_=hundredths)


@dataclass
class Figures:
    label: str
    sales: Decimal
    returns: Decimal
    allowances: Decimal
    cost: Decimal  # the costs entered
    missing_cost: int = 0  # 销售 and 退回 rows without a cost

    @property
    def net(self) -> Decimal:
        return self.sales - self.returns - self.allowances

    @property
    def cost_known(self) -> bool:
        return self.missing_cost == 0

    @property
    def gross(self) -> Decimal | None:
        """净额 − 成本; unknown (None) while a row's cost is missing."""
        return self.net - self.cost if self.cost_known else None

    @property
    def margin(self) -> Decimal | None:
        """毛利 / 净额; not a number when a cost is missing or there are no net sales (净额 zero
        or below)."""
        return ratio(self.gross, self.net) if self.cost_known and self.net > 0 else None


def month_bounds(month: date) -> tuple[date, date]:
    """First and last day of the month of `month`."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _rows(scoped: Select, start: date, end: date):
    """The scoped entries of the period, as a subquery (`scoped`: policy.scope on SalesEntry);
    `live` is 0 for a reversed row and its reversal, whose amounts net out in every sum."""
    return (scoped.with_only_columns(SalesEntry.owner_id, SalesEntry.customer_id,
                                     SalesEntry.entry_date, SalesEntry.kind, SalesEntry.amount,
                                     SalesEntry.cost, case((live(), 1), else_=0).label("live"))
            .where(SalesEntry.entry_date.between(start, end)).order_by(None).subquery())


@dataclass
class MonthResults:
    people: list[Figures]
    total: Figures


def month_results(scoped: Select, month: date) -> MonthResults:
    """表5-11 for the month of `month`: one line per salesperson and the total line."""
    rows = _rows(scoped, *month_bounds(month))
    per_owner = db.session.execute(
        select(User.full_name, *_figures(rows)).join(User, User.id == rows.c.owner_id)
        .group_by(rows.c.owner_id, User.full_name).order_by(User.full_name)).all()
    total = db.session.execute(select(*_figures(rows))).one()
    return MonthResults([Figures(*row) for row in per_owner], Figures("", *total))


@dataclass
class CustomerFigures(Figures):
    _: KW_ONLY
    customer_id: int
    number: str
    previous_sales: Decimal

    @property
    def is_new(self) -> bool:
        """No sales in the previous period: its growth is not a number."""
        return self.previous_sales <= 0

    @property
    def growth(self) -> Decimal | None:
        return None if self.is_new else ratio(self.sales - self.previous_sales,
                                              self.previous_sales)


@dataclass
class KeyCustomers:
    previous: tuple[date, date]
    by_sales: list[CustomerFigures]
    by_growth: list[CustomerFigures]
    by_margin: list[CustomerFigures]


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before [start, end]."""
    length = end - start + timedelta(days=1)
    return start - length, start - timedelta(days=1)


def _per_customer(scoped: Select, start: date, end: date):
    """A subquery of each customer's figures for [start, end] and its 销售额 of the previous
    period, all in integer fen (BIGINT on both databases, so arithmetic on them is exact)."""
    rows = _rows(scoped, previous_period(start, end)[0], end)
    before = and_(rows.c.entry_date < start, rows.c.kind == EntryKind.SALE.value)
    columns = {**_amounts(rows, since=start), "previous_sales": _fen_sum(before, rows.c.amount)}
    return (select(rows.c.customer_id,
                   *(cast(value, BigInteger).label(name) for name, value in columns.items()))
            .group_by(rows.c.customer_id).subquery())


def key_customers(scoped: Select, start: date, end: date) -> KeyCustomers:
    """Top customers of the period by 销售额, by its growth over the previous period of the
    same length (customers new in this period after the ranked ones, marked 新客户) and by
    销售利润率 (毛利 / 净额; customers with a cost missing are not ranked: their margin is
    unknown), ties by 销售额 then customer id. The database ranks every customer in one pass
    and returns only the first ten of each list."""
    per = _per_customer(scoped, start, end)
    net = per.c.sales - per.c.returns - per.c.allowances
    ranked = _ranked(per, {
        "by_sales": _position(per, per.c.sales > 0, per.c.sales),
        "by_growth": _position(per, per.c.previous_sales > 0, _sql_ratio(
            per.c.sales - per.c.previous_sales, per.c.previous_sales)),
        "newcomers": _position(per, and_(per.c.previous_sales <= 0, per.c.sales > 0),
                               per.c.sales),
        "by_margin": _position(per, and_(net > 0, per.c.missing_cost == 0),
                               _sql_ratio(net - per.c.cost, net)),
    })
    return KeyCustomers(previous_period(start, end), ranked["by_sales"],
                        (ranked["by_growth"] + ranked["newcomers"])[:TOP], ranked["by_margin"])


def _position(per, where, key):
    """1, 2, 3… among the customers meeting `where`, by `key` descending, then by 销售额
    descending and customer id (ROW_NUMBER in the database); NULL for the others."""
    order = (key.desc(), per.c.sales.desc(), per.c.customer_id)
    return case((where, func.row_number().over(partition_by=case((where, 1), else_=0),
                                               order_by=order)))


def _ranked(per, positions: dict) -> dict[str, list[CustomerFigures]]:
    """{list: its first ten customers in order} (`positions`: each list's _position), read
    in one query of the customers that are among the first ten of some list."""
    numbered = select(per, *(value.label(f"at_{name}") for name, value in positions.items())
                      ).subquery()
    at = {name: numbered.c[f"at_{name}"] for name in positions}
    query = (select(Customer.name.label("label"),
                    *(type_coerce(numbered.c[name], Money).label(name) for name in AMOUNTS),
                    numbered.c.missing_cost, Customer.id.label("customer_id"), Customer.number,
                    type_coerce(numbered.c.previous_sales, Money).label("previous_sales"),
                    *at.values())
             .join(Customer, Customer.id == numbered.c.customer_id)
             .where(or_(*(column <= TOP for column in at.values()))))
    found: dict[str, list] = {name: [] for name in positions}
    for row in db.session.execute(query).mappings():
        figures = CustomerFigures(**{k: v for k, v in row.items() if not k.startswith("at_")})
        for name in positions:
            if (place := row[f"at_{name}"]) is not None and place <= TOP:
                found[name].append((place, figures))
    return {name: [figures for _place, figures in sorted(rows, key=lambda r: r[0])]
            for name, rows in found.items()}
