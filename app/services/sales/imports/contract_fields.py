"""The contract import's columns (表5-17 销售合同登记台账, 表5-19 合同管理台账 and the contract
form) and one row read into values: one contract with one product line and its payment terms."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.models import ContractKind, Level, TermKind
from app.services.imports.base import Column
from app.services.imports.fields import RowCells, allowed, choice_table, code
from app.services.sales.contracts.data import LineData, TermData

# (key, most characters) of the texts a contract keeps as typed
TEXTS = (("name", 200), ("product", 100), ("spec", 100), ("unit", 20), ("delivery_place", 200),
         ("acceptance_method", 200), ("quality_requirements", 2000), ("remarks", 2000))
HEADER_TEXTS = ("name", "delivery_place", "acceptance_method", "quality_requirements", "remarks")
DATES = ("sign_date", "start_date", "end_date", "delivery_date")
# (term kind, amount column, due date column)
TERMS = ((TermKind.ADVANCE, "advance", "advance_due"),
         (TermKind.ACCEPTANCE, "acceptance", "acceptance_due"),
         (TermKind.RETENTION, "retention", "retention_due"))
CHOICES = {"kind": ContractKind, "confidentiality": Level}


def columns() -> tuple[Column, ...]:
    day = _l("日期，如 2026-01-15")
    term = _l("元，最多两位小数；预付款、验收款、质保金之和须等于合同金额")
    return (
        Column("number", "合同编号", False, _l("已登记合同的编号：按所选规则跳过或更新该合同；"
                                           "新合同不填，导入后按编号规则编号"), text=True),
        Column("name", "合同名称", True, _l("同一客户的同名合同视为已有记录")),
        Column("customer", "客户名称", False, _l("您负责的客户的名称；也可改填客户编号"),
               aliases=("签约单位",)),
        Column("customer_number", "客户编号", False, _l("可代替客户名称"), text=True),
        Column("kind", "合同种类", False,
               _l("可填：%(allowed)s；不填为销售合同", allowed=allowed(ContractKind))),
        Column("sign_date", "签订日期", True, day),
        Column("start_date", "合同开始日期", False, day),
        Column("end_date", "合同结束日期", False, day),
        Column("product", "产品名称", True),
        Column("spec", "规格型号"),
        Column("unit", "单位"),
        Column("quantity", "数量", True, _l("大于零，最多三位小数")),
        Column("unit_price", "单价", True, _l("元，最多两位小数")),
        Column("amount", "金额", False, _l("可不填：合同金额按 数量×单价 计算；填写时须与之相等"),
               aliases=("总价", "合同金额", "合同净额")),
        Column("advance", "预付款", False, term),
        Column("advance_due", "预付款到期日期", False, day),
        Column("acceptance", "验收款", False, term),
        Column("acceptance_due", "验收款到期日期", False, day),
        Column("retention", "质保金", False, term),
        Column("retention_due", "质保金到期日期", False, day),
        Column("delivery_date", "交货日期", False, day, aliases=("交货期",)),
        Column("delivery_place", "交货地点"),
        Column("acceptance_method", "验收方式"),
        Column("quality_requirements", "质量要求"),
        Column("confidentiality", "密级", False,
               _l("可填：%(allowed)s；不填与客户的密级相同", allowed=allowed(Level))),
        Column("remarks", "备注"),
    )


class ContractReader:
    """Reads contract rows for one file; the short lists' tables are built once."""

    def __init__(self, labels: dict[str, str]):
        self.labels = labels
        self.tables = {key: choice_table(enum) for key, enum in CHOICES.items()}

    def read(self, cells: dict) -> tuple[dict, list[str]]:
        """(values, problems) of a row; a blank optional cell is None (kept on an update)."""
        row = RowCells(cells, self.labels)
        values = {key: row.text(key, most, required=key in ("name", "product"))
                  for key, most in TEXTS}
        values.update({key: row.day(key, required=key == "sign_date") for key in DATES})
        values["number"] = code(cells.get("number")) or None
        values["customer_number"] = code(cells.get("customer_number")) or None
        values["customer"] = row.text("customer", 100)
        if not values["customer"] and not values["customer_number"]:
            row.problems.append(_("请填写「客户名称」或「客户编号」。"))
        for key, enum in CHOICES.items():
            values[key] = row.choice(key, self.tables[key], enum)
        values["line"] = _line(row, values)
        values["terms"] = _terms(row)
        return values, row.problems


def _line(row: RowCells, values: dict) -> LineData | None:
    quantity, price = row.priced()
    if quantity is None or price is None or not values["product"]:
        return None
    return LineData(values["product"], values["spec"], values["unit"], quantity, price)


def _terms(row: RowCells) -> dict[TermKind, TermData]:
    """{kind: term} of the terms the row fills; an amount needs its due date and back."""
    terms = {}
    for kind, amount_key, due_key in TERMS:
        amount = row.number(amount_key, positive=True)
        due = row.day(due_key)
        amount_given, due_given = row.given(amount_key), row.given(due_key)
        if amount_given and not due_given:
            row.problems.append(_("已填写「%(amount)s」，请填写「%(due)s」。",
                                  amount=row.labels[amount_key], due=row.labels[due_key]))
        elif due_given and not amount_given:
            row.problems.append(_("已填写「%(due)s」，请填写「%(amount)s」的金额。",
                                  amount=row.labels[amount_key], due=row.labels[due_key]))
        elif amount is not None and due is not None:
            terms[kind] = TermData(kind, amount, due)
    return terms
