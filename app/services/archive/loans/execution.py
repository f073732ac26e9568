"""A loan after its approval: the archivist hands a paper loan out and takes it back, checking
it is complete; the borrower renews once, the whole loan within 30 days; loans past their due
time are closed (online reading and copies) or count as overdue (paper still out).

An item's state follows paper loans only where it was plain 在库 (in store): a held (冻结) or
due (待销毁) item keeps that state while it is out, since those states guard its disposal;
whether it is out is then read from its loans."""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.archive import (
    ArchiveItem,
    ArchiveLoan,
    ArchiveLoanItem,
    ArchiveState,
    LoanMethod,
    LoanStatus,
    ReturnCondition,
)
from app.models.archive.loans import MAX_DAYS
from app.policy.archive.loans import now
from app.services.archive.loans.kind import start_period
from app.services.archive.loans.requests import LoanRefused
from app.services.core import audit


def _locked_items(loan: ArchiveLoan) -> list[ArchiveItem]:
    """The loan's items, row-locked on PostgreSQL: two hand-outs of one item serialise."""
    query = (select(ArchiveItem).join(ArchiveLoanItem, ArchiveLoanItem.item_id == ArchiveItem.id)
             .where(ArchiveLoanItem.loan_id == loan.id).order_by(ArchiveLoanItem.id)
             .with_for_update(of=ArchiveItem))
    return list(db.session.scalars(query))


def _out_elsewhere(item: ArchiveItem, loan: ArchiveLoan) -> bool:
    """Is the item out on another paper loan, not yet returned?"""
    return bool(db.session.scalar(select(
        select(ArchiveLoan.id).join(ArchiveLoanItem, ArchiveLoanItem.loan_id == ArchiveLoan.id)
        .where(ArchiveLoanItem.item_id == item.id, ArchiveLoan.id != loan.id,
               ArchiveLoan.status == LoanStatus.LENT).exists())))


def _set_state(item: ArchiveItem, new: ArchiveState, loan: ArchiveLoan, action: str) -> None:
    old = item.state
    item.state = new
    audit.record(action, item, changes={"loan": loan.id, "state": [old, new]})


def hand_out(loan: ArchiveLoan, archivist: User) -> None:
    """Hands an approved paper loan out: its period runs from now, items in store become
    借出. Refuses any other loan, one past its due time, a destroyed item and one out on
    another loan."""
    if loan.method != LoanMethod.PAPER or loan.status != LoanStatus.APPROVED:
        raise LoanRefused(_("只有已批准、尚未借出的纸质外借可以出借。"))
    if loan.due_at is not None and loan.due_at <= now():
        raise LoanRefused(_("该借阅已过期限，未曾出借；请借阅人重新申请。"))
    items = _locked_items(loan)
    for item in items:
        if item.state == ArchiveState.DESTROYED or _out_elsewhere(item, loan):
            raise LoanRefused(_("档案 %(number)s 已销毁或已借出未还，不能出借。",
                                number=item.archive_number))
    for item in items:
        if item.state == ArchiveState.IN_STORE:
            _set_state(item, ArchiveState.ON_LOAN, loan, "archive_item_lent")
    loan.status, loan.handed_out_at, loan.handed_out_by_id = LoanStatus.LENT, now(), archivist.id
    start_period(loan, loan.handed_out_at)
    audit.record("archive_loan_handed_out", loan, changes={
        "items": [item.archive_number for item in items], "due_at": loan.due_at})


def mark_returned(loan: ArchiveLoan, archivist: User, condition: ReturnCondition | None,
                  note: str) -> None:
    """Takes a paper loan back with its completeness check (完整, or 缺损 with what is
    missing); items 借出 go back 在库. Refuses a loan not out and a 缺损 without a note."""
    if loan.status != LoanStatus.LENT:
        raise LoanRefused(_("只有已借出的纸质档案可以登记归还。"))
    note = (note or "").strip()
    if condition is None:
        raise LoanRefused(_("请选择归还时的完整性检查结果。"), "condition")
    if condition == ReturnCondition.DAMAGED and not note:
        raise LoanRefused(_("档案缺损时请说明缺损情况。"), "note")
    for item in _locked_items(loan):
        if item.state == ArchiveState.ON_LOAN:
            _set_state(item, ArchiveState.IN_STORE, loan, "archive_item_returned")
    loan.status, loan.returned_at, loan.returned_by_id = LoanStatus.RETURNED, now(), archivist.id
    loan.return_condition, loan.return_note = condition, note[:2000] or None
    audit.record("archive_loan_returned", loan, changes={
        "condition": condition, "note": loan.return_note, "overdue": loan.due_at < now()})


def renewable_days(loan: ArchiveLoan) -> int:
    """How many days a renewal may still add: the whole loan stays within MAX_DAYS."""
    return 0 if loan.renewal_days else MAX_DAYS - loan.days


def is_running(loan: ArchiveLoan) -> bool:
    """In the borrower's hands before its due time: online or copy approved, paper lent."""
    out = LoanStatus.LENT if loan.method == LoanMethod.PAPER else LoanStatus.APPROVED
    return loan.status == out and loan.due_at is not None and now() < loan.due_at


def renew(loan: ArchiveLoan, days: int | None) -> None:
    """Extends a running loan once by `days`, the whole loan within 30 days; refuses a loan
    not running, a second renewal and days beyond the cap."""
    if not is_running(loan):
        raise LoanRefused(_("只有借阅中、尚未到期的借阅可以续借。"))
    if loan.renewal_days:
        raise LoanRefused(_("每次借阅只能续借一次。"))
    most = renewable_days(loan)
    if not most:
        raise LoanRefused(_("借阅期限已达 %(max)d 天，不能再续借。", max=MAX_DAYS))
    if days is None or not 1 <= days <= most:
        raise LoanRefused(_("续借天数须为 1–%(most)d 天（借阅期限连同续借合计不超过 %(max)d 天）。",
                            most=most, max=MAX_DAYS), "days")
    before = loan.due_at
    loan.renewal_days = days
    loan.due_at = before + timedelta(days=days)
    audit.record("archive_loan_renewed", loan, changes={"days": days,
                                                        "due_at": [before, loan.due_at]})


def close_expired() -> int:
    """Marks every approved loan past its due time 已到期 (online and copies, and paper loans
    never handed out), each audited; returns how many. Access already closed at the due time
    itself: this puts the closing on record. Paper loans still out stay 已借出: overdue."""
    due = list(db.session.scalars(select(ArchiveLoan).where(
        ArchiveLoan.status == LoanStatus.APPROVED, ArchiveLoan.due_at <= now())
        .order_by(ArchiveLoan.id).with_for_update(skip_locked=True)))
    for loan in due:
        loan.status = LoanStatus.EXPIRED
        audit.record("archive_loan_expired", loan, changes={"due_at": loan.due_at})
    return len(due)


def run_expiry() -> int:
    """The periodic task: close_expired, committed."""
    closed = close_expired()
    db.session.commit()
    return closed


def is_overdue(loan: ArchiveLoan) -> bool:
    """A paper loan still out after its due time."""
    return loan.status == LoanStatus.LENT and loan.due_at is not None and loan.due_at < now()

