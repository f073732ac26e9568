"""The sales ledger import's columns (表5-12 年度产品销售台账, as the ledger's export writes them)
and one row read into values. 已付货款, 欠款 and 业务员 are read only to say they are not taken:
what is paid and owed comes from the payments, the salesperson from the customer's owner."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.models import EntryKind
from app.models.sales.ledger import PaymentMethod
from app.services.imports.base import Column
from app.services.imports.fields import RowCells, add_synonyms, allowed, choice_table, code

# (key, most characters) as the ledger row form allows
TEXTS = (("customer", 100), ("contact_name", 50), ("product", 100), ("spec", 100),
         ("invoice_no", 50), ("remarks", 1000))
COMPUTED = ("paid", "owed", "salesperson")
CHOICES = {"kind": EntryKind}

# Payment methods are stored as codes; a sheet may give the label (银行转账) or a name people
# write for it, and the import kit reads either as the code (choice_table(PaymentMethod)).
add_synonyms(PaymentMethod, {
    PaymentMethod.BANK_TRANSFER: ("转账", "电汇", "网银", "汇款"),
    PaymentMethod.ACCEPTANCE_BILL: ("承兑汇票", "承兑", "银票", "银行承兑"),
    PaymentMethod.CHECK: ("本人支票", "转账支票"),
})


def columns() -> tuple[Column, ...]:
    money = _l("元，最多两位小数")
    computed = _l("由系统计算，导入时不读取")
    return (
        Column("entry_date", "日期", True, _l("日期，如 2026-01-15"), aliases=("销售日期",)),
        Column("customer", "客户名称", False, _l("可不填；填写时须与合同的客户一致")),
        Column("contact_name", "联系方式", False, aliases=("联系人",)),
        Column("product", "产品名称", True),
        Column("spec", "规格型号"),
        Column("quantity", "数量", True, _l("大于零，最多三位小数")),
        Column("unit_price", "单价", True, money),
        Column("amount", "金额", False, _l("可不填：金额按 数量×单价 计算；填写时须与之相等")),
        Column("invoice_no", "发票", False, _l("发票号码；同一合同、日期、产品名称和发票号码的"
                                            "记录视为已有记录"),
               aliases=("发票号", "发票号码"), text=True),
        Column("kind", "类别", False,
               _l("可填：%(allowed)s；不填为销售", allowed=allowed(EntryKind))),
        Column("cost", "成本", False, _l("元，最多两位小数；用于计算毛利")),
        Column("contract", "合同编号", True, _l("您负责的、已生效的合同的编号"), text=True),
        Column("remarks", "备注"),
        Column("paid", "已付货款", False, computed, aliases=("已付",), template=False),
        Column("owed", "欠款", False, computed, aliases=("未付",), template=False),
        Column("salesperson", "业务员", False, computed, aliases=("销售员",), template=False),
    )


class SalesReader:
    """Reads ledger rows for one file."""

    def __init__(self, labels: dict[str, str]):
        self.labels = labels
        self.tables = {key: choice_table(enum) for key, enum in CHOICES.items()}

    def read(self, cells: dict) -> tuple[dict, list[str]]:
        """(values, problems) of a row; a blank optional cell is None (kept on an update)."""
        row = RowCells(cells, self.labels)
        values = {key: row.text(key, most, required=key == "product") for key, most in TEXTS}
        values["entry_date"] = row.day("entry_date", required=True)
        values["contract"] = code(cells.get("contract")) or None
        if not values["contract"]:
            row.problems.append(_("请填写「合同编号」：每行销售记录须登记在一份已生效的合同下。"))
        values["kind"] = row.choice("kind", self.tables["kind"], EntryKind)
        values["quantity"], values["unit_price"] = row.priced()
        values["cost"] = row.number("cost")
        values["computed"] = [self.labels[key] for key in COMPUTED if row.given(key)]
        return values, row.problems
