"""A contract's 回款记录 page as a workbook: its payment history (货款回收记录) and its terms'
paid, outstanding and overdue amounts (付款条款与回款), the columns and values of the page."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select

from app.models import Contract
from app.services.sales.ledger import payments
from app.services.sales.ledger.results_export import write_sheets

HISTORY_HEADERS = (_l("回款日期"), _l("款项"), _l("金额"), _l("付款方式"), _l("凭证/流水号"),
                   _l("备注"), _l("红冲"))
TERM_HEADERS = (_l("款项"), _l("金额"), _l("已收"), _l("未收"), _l("到期日"), _l("逾期天数"),
                _l("状态"))


def history_table(scoped: Select, contract: Contract):
    """(title, headers, rows): the contract's payments in the page's order (`scoped`:
    policy.scope on Payment), the method by its label as the page shows it, and whether a
    payment was reversed (红冲) or is a reversal, with its reason."""
    history = payments.history(scoped, contract)
    void = {p.reverses_id for p in history if p.reverses_id}
    rows = [(p.paid_on, p.term.kind.label, p.amount, p.method.label if p.method else None,
             p.reference, p.note, _reversal_note(p, void)) for p in history]
    return _("货款回收记录"), [str(h) for h in HISTORY_HEADERS], rows


def _reversal_note(p, void: set[int]) -> str | None:
    if p.reverses_id:
        return _("红冲（原因：%(reason)s）", reason=p.reversal_reason or "")
    return _("已红冲") if p.id in void else None


def terms_table(contract: Contract, today: date | None = None):
    """(title, headers, rows): each term's amount, paid, outstanding, due date and overdue
    days (empty when not overdue) with the page's status, then the 合计 line (no rows when
    the contract has no terms)."""
    balance = payments.contract_balance(contract, today)
    rows = [(line.term.kind.label, line.term.amount, line.paid, line.outstanding,
             line.term.due_date, line.overdue_days or None, _term_state(line))
            for line in balance.terms]
    overdue = (_("其中逾期 %(amount)s", amount=f"¥{balance.overdue:,.2f}")
               if balance.overdue > 0 else None)
    if rows:
        rows.append((_("合计"), balance.amount, balance.paid, balance.outstanding, None, None,
                     overdue))
    return _("付款条款与回款"), [str(h) for h in TERM_HEADERS], rows


def _term_state(line: payments.TermBalance) -> str:
    if line.overdue:
        return _("逾期 %(n)d 天", n=line.overdue_days)
    return _("已收清") if line.outstanding <= 0 else _("未到期")


def workbook(scoped: Select, contract: Contract) -> bytes:
    """The page's two tables as one workbook, history first; cells neutralised."""
    return write_sheets([history_table(scoped, contract), terms_table(contract)])
