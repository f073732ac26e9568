"""Asking for a loan (借阅申请): the items (by id from the catalogue, or by 档号 as typed), the
method, the purpose and the period. The approver follows the items' department (002 篇七 1.5),
so a request naming items of several departments becomes one loan per department, each
submitted to the approval engine on its own: each department's files are decided by whoever
the rule names for them, and no single signer decides on another department's files."""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.archive import (
    LOAN_FLOW,
    ArchiveItem,
    ArchiveLoan,
    ArchiveLoanItem,
    ArchiveState,
    LoanMethod,
    LoanStatus,
)
from app.models.archive.loans import MAX_DAYS
from app.policy.archive.loans import now
from app.services.approvals import engine as approvals
from app.services.core import audit
from app.services.core.errors import Refused

MAX_ITEMS = 20  # per request: a reading list, not the whole archive


class LoanRefused(Refused):
    """A loan request, hand-out, return or renewal the rules refuse."""


class ItemHidden(Exception):
    """An item id that names nothing the requester may know of (absent, or above their
    clearance): the view answers 404, as for any record."""

    def __init__(self, item: ArchiveItem | None):
        super().__init__("item hidden")
        self.item = item


@dataclass
class LoanData:
    method: LoanMethod
    purpose: str
    days: int
    item_ids: list[int] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)  # 档号 as typed, one per line


def requested_items(user: User, item_ids: list[int], numbers: list[str]) -> list[ArchiveItem]:
    """The items asked for, in the order given, each once. Raises ItemHidden for an id the
    user may not know of, and LoanRefused (on `numbers`) for a typed 档号 that names none they
    may know of: an item above their clearance is not there for them."""
    items: dict[int, ArchiveItem] = {}
    for item_id in item_ids:
        item = db.session.get(ArchiveItem, item_id)
        if item is None or item.confidentiality > user.clearance:
            raise ItemHidden(item)
        items.setdefault(item.id, item)
    for number in numbers:
        item = db.session.scalar(select(ArchiveItem).where(
            ArchiveItem.archive_number == number, ArchiveItem.confidentiality <= user.clearance))
        if item is None:
            raise LoanRefused(_("没有找到档号为 %(number)s 的档案，请核对后再填写。",
                                number=number), "numbers")
        items.setdefault(item.id, item)
    return list(items.values())


def request_loans(data: LoanData, user: User) -> list[ArchiveLoan]:
    """Files the request as one loan per department of its items, each submitted for
    approval. Refuses no item, too many, a destroyed item, an item the user already has on an
    open loan of the same method, a blank purpose and a period outside 1–30 days."""
    items = requested_items(user, data.item_ids, data.numbers)
    _check(data, items, user)
    by_department: dict[int, list[ArchiveItem]] = defaultdict(list)
    for item in items:
        by_department[item.department_id].append(item)
    return [_submit(data, group, user) for group in by_department.values()]


def _check(data: LoanData, items: list[ArchiveItem], user: User) -> None:
    if not items:
        raise LoanRefused(_("请至少选择一件档案（或填写档号）。"), "numbers")
    if len(items) > MAX_ITEMS:
        raise LoanRefused(_("一次最多申请借阅 %(n)d 件档案。", n=MAX_ITEMS), "numbers")
    if not 1 <= data.days <= MAX_DAYS:
        raise LoanRefused(_("借阅期限须为 1–%(max)d 天。", max=MAX_DAYS), "days")
    if len(data.purpose.strip()) < 2:
        raise LoanRefused(_("请说明借阅用途（至少 2 个字）。"), "purpose")
    for item in items:
        if item.state == ArchiveState.DESTROYED:
            raise LoanRefused(_("档案 %(number)s 已销毁，不能借阅。",
                                number=item.archive_number), "numbers")
    lent = _already_lent(user, data.method, [item.id for item in items])
    if lent:
        raise LoanRefused(_("您已有档案 %(number)s 的同一方式借阅（审批中或借阅中），"
                            "无需重复申请。", number=lent), "numbers")


def _already_lent(user: User, method: LoanMethod, item_ids: list[int]) -> str | None:
    """The 档号 of an item the user already has on an open loan of this method (pending,
    approved and not yet due, or lent), if any."""
    open_loan = (ArchiveLoan.status == LoanStatus.PENDING) | (
        ArchiveLoan.status.in_((LoanStatus.APPROVED, LoanStatus.LENT))
        & (ArchiveLoan.due_at > now()))
    return db.session.scalar(
        select(ArchiveItem.archive_number)
        .join(ArchiveLoanItem, ArchiveLoanItem.item_id == ArchiveItem.id)
        .join(ArchiveLoan, ArchiveLoan.id == ArchiveLoanItem.loan_id)
        .where(ArchiveLoan.borrower_id == user.id, ArchiveLoan.method == method, open_loan,
               ArchiveItem.id.in_(item_ids)).limit(1))


def _submit(data: LoanData, items: list[ArchiveItem], user: User) -> ArchiveLoan:
    loan = ArchiveLoan(borrower_id=user.id, borrower_department_id=user.department_id,
                       department_id=items[0].department_id, method=data.method,
                       purpose=data.purpose.strip()[:200], days=data.days,
                       confidentiality=max(item.confidentiality for item in items),
                       status=LoanStatus.PENDING,
                       lines=[ArchiveLoanItem(item=item) for item in items])
    db.session.add(loan)
    db.session.flush()
    audit.record("archive_loan_requested", loan, changes={
        "items": [item.archive_number for item in items], "method": data.method,
        "purpose": loan.purpose, "days": data.days})
    approvals.submit(LOAN_FLOW, loan, user)
    return loan
