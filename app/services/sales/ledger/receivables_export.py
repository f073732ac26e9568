"""The receivables page's tables as Excel: aging per customer or salesperson, or open terms."""

from flask_babel import gettext as _
from sqlalchemy import Select

from app.services.sales.ledger import receivables
from app.timeutil import local_today


def export_table(scoped: Select, view: str, customer: int | None, owner: int | None):
    """(sheet title, headers, rows) of the table the page shows for the same query."""
    buckets = [str(label) for _name, label in receivables.BUCKETS]
    today = local_today()
    if customer or owner:
        query = receivables.open_terms_query(scoped, customer, owner)
        headers = [_("合同编号"), _("合同名称"), _("客户名称"), _("销售人员"), _("款项"),
                   _("金额"), _("已收"), _("未收"), _("到期日"), _("逾期天数"), _("账龄")]
        return _("应收账款明细"), headers, _open_rows(query, today)
    rows = receivables.all_groups(scoped, view, today)
    if view == "salesperson":
        headers = [_("销售人员"), *buckets, _("合计")]
        return _("应收账款账龄（按销售人员）"), headers, (
            (r.label, r.not_due, r.d1_30, r.d31_90, r.d90_plus, r.total)
            for r in rows)
    headers = [_("客户编号"), _("客户名称"), _("销售人员"), *buckets, _("合计")]
    return _("应收账款账龄（按客户）"), headers, (
        (r.number, r.label, r.owner, r.not_due, r.d1_30, r.d31_90, r.d90_plus,
         r.total) for r in rows)


def _open_rows(query: Select, today, batch: int = 500):
    """Every open term, earliest due first, a page at a time."""
    labels = dict(receivables.BUCKETS)
    after = None
    while True:
        page, terms = receivables.open_terms(query, today, after=after, size=batch)
        for t in terms:
            contract = t.term.contract
            yield (contract.number, contract.name, contract.customer.name,
                   contract.owner.full_name, t.term.kind, t.term.amount, t.paid, t.outstanding,
                   t.term.due_date, t.days_past_due, str(labels[t.bucket]))
        if not page.next_cursor:
            return
        after = page.next_cursor
