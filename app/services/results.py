"""Sales results: 月份销售实绩统计表 (表5-11) per salesperson and 重点客户管理表 (top customers).

销售额 is the sum of 销售 rows, 销货退回 and 销货折让 of their rows;
销货净额 = 销售额 − 退回 − 折让; 成本 is the cost of goods sold: the cost of 销售 rows less
the cost of goods returned (退回 rows; 折让 carries none); 毛利 = 净额 − 成本;
毛利率 = 毛利 / 净额. Every sum is made by the database on the Money columns (integer fen,
read back as Decimal); ratios are Decimal, never floats.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, Select, and_, case, func, select, type_coerce

from app.extensions import db
from app.models import Customer, EntryKind, SalesEntry, User
from app.models.base import Money

PERCENT = Decimal("0.01")
TOP = 10


def _fen_sum(condition, value):
    """SUM(CASE WHEN condition THEN value ELSE 0 END) in integer fen (0 for no rows)."""
    return func.coalesce(func.sum(case((condition, type_coerce(value, BigInteger)), else_=0)), 0)


def _sum(condition, value):
    """The same sum read back as Money (an exact Decimal)."""
    return type_coerce(_fen_sum(condition, value), Money)


def _figures(rows, since: date | None = None) -> list:
    """销售额, 退回, 折让 and 成本 columns of `rows` (entries from `since` on, if given)."""
    def when(kind):
        is_kind = rows.c.kind == kind.value
        return and_(is_kind, rows.c.entry_date >= since) if since else is_kind
    cost = func.coalesce(rows.c.cost, 0)
    return [_sum(when(EntryKind.SALE), rows.c.amount).label("sales"),
            _sum(when(EntryKind.RETURN), rows.c.amount).label("returns"),
            _sum(when(EntryKind.ALLOWANCE), rows.c.amount).label("allowances"),
            type_coerce(_fen_sum(when(EntryKind.SALE), cost)
                        - _fen_sum(when(EntryKind.RETURN), cost), Money).label("cost")]


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole in percent to 0.01, or None when whole is zero."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(PERCENT, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    label: str
    sales: Decimal
    returns: Decimal
    allowances: Decimal
    cost: Decimal

    @property
    def net(self) -> Decimal:
        return self.sales - self.returns - self.allowances

    @property
    def gross(self) -> Decimal:
        return self.net - self.cost

    @property
    def margin(self) -> Decimal | None:
        """毛利 / 净额; not a number when there are no net sales (净额 zero or below)."""
        return ratio(self.gross, self.net) if self.net > 0 else None


def month_bounds(month: date) -> tuple[date, date]:
    """First and last day of the month of `month`."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _rows(scoped: Select, start: date, end: date):
    """The scoped entries of the period, as a subquery (`scoped`: policy.scope on SalesEntry)."""
    return (scoped.with_only_columns(SalesEntry.owner_id, SalesEntry.customer_id,
                                     SalesEntry.entry_date, SalesEntry.kind, SalesEntry.amount,
                                     SalesEntry.cost)
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


def key_customers(scoped: Select, start: date, end: date) -> KeyCustomers:
    """Top customers of the period by 销售额, by its growth over the previous period of the
    same length (customers new in this period after the ranked ones, marked 新客户) and by
    销售利润率 (毛利 / 净额)."""
    previous = previous_period(start, end)
    rows = _rows(scoped, previous[0], end)
    found = db.session.execute(
        select(Customer.name, *_figures(rows, since=start), Customer.id, Customer.number,
               _sum(and_(rows.c.entry_date < start, rows.c.kind == EntryKind.SALE.value),
                    rows.c.amount).label("previous"))
        .join(Customer, Customer.id == rows.c.customer_id)
        .group_by(Customer.id, Customer.name, Customer.number)).all()
    customers = [CustomerFigures(*row) for row in found]
    return KeyCustomers(previous, *rankings(customers))


def rankings(customers: list[CustomerFigures]) -> tuple[list, list, list]:
    """(by sales, by growth, by margin), ten each, ties by sales then customer id."""
    def first(rows, key):
        return sorted(rows, key=lambda c: (key(c), c.sales, -c.customer_id), reverse=True)[:TOP]
    selling = [c for c in customers if c.sales > 0]
    growing = first([c for c in customers if not c.is_new], lambda c: c.growth)
    newcomers = first([c for c in selling if c.is_new], lambda c: c.sales)
    by_margin = first([c for c in customers if c.net > 0], lambda c: c.margin)
    return first(selling, lambda c: c.sales), (growing + newcomers)[:TOP], by_margin
