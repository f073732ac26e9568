"""The loans' list (借阅登记), its Excel export and one loan's page, on a query policy has
already scoped: by 档号 or title, status (with 借阅中 and 逾期 read from the due time) and
method; the newest request first."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ApprovalAssignment, ApprovalRequest, RequestStatus, User
from app.models.archive import ArchiveItem, ArchiveLoan, ArchiveLoanItem, LoanMethod, LoanStatus
from app.policy.archive.loans import now, now_in_sql
from app.services.approvals.pages import load_requests
from app.services.archive.loans.kind import LINES, LoanKind
from app.services.core.loading import load_related
from app.services.core.pagination import Page, Sort, counted_page
from app.timeutil import to_local

SORT = Sort(ArchiveLoan.id, True)
ROW_LOADS = (selectinload(ArchiveLoan.borrower), selectinload(ArchiveLoan.department), LINES)
PAGE_LOADS = (*ROW_LOADS, selectinload(ArchiveLoan.borrower_department),
              selectinload(ArchiveLoan.handed_out_by), selectinload(ArchiveLoan.returned_by))
RUNNING = "running"  # approved online or copy before its due time, or paper out
OVERDUE = "overdue"  # paper out after its due time


@dataclass
class LoanFilters:
    q: str = ""  # 档号 or title of an item lent
    status: str = ""  # a LoanStatus code, RUNNING or OVERDUE
    method: str = ""
    after: str | None = None
    before: str | None = None


@dataclass
class LoanListing:
    page: Page
    total: int
    capped: bool


def running(query: Select) -> Select:
    """Loans in their borrower's hands before the due time (execution.is_running in SQL)."""
    out = or_(and_(ArchiveLoan.status == LoanStatus.APPROVED,
                   ArchiveLoan.method != LoanMethod.PAPER), ArchiveLoan.status == LoanStatus.LENT)
    return query.where(out, ArchiveLoan.due_at > now_in_sql())


def overdue(query: Select) -> Select:
    """Paper loans still out after their due time."""
    return query.where(ArchiveLoan.status == LoanStatus.LENT, ArchiveLoan.due_at <= now_in_sql())


def shown_status(loan: ArchiveLoan) -> tuple[str, str]:
    """(code, label) of the loan as of now: an approved loan past its due time reads 已到期
    before the periodic task has marked it, a paper loan out past it 逾期未还."""
    past_due = loan.due_at is not None and loan.due_at <= now()
    if past_due and loan.status == LoanStatus.APPROVED:
        return LoanStatus.EXPIRED.value, str(LoanStatus.EXPIRED.label)
    if past_due and loan.status == LoanStatus.LENT:
        return OVERDUE, _("逾期未还")
    return loan.status.value, str(loan.status.label)


def filtered(scoped: Select, f: LoanFilters) -> Select:
    query = scoped
    if f.status == RUNNING:
        query = running(query)
    elif f.status == OVERDUE:
        query = overdue(query)
    elif f.status:
        query = query.where(ArchiveLoan.status == f.status)
    if f.method:
        query = query.where(ArchiveLoan.method == f.method)
    if f.q:
        text = f.q.strip()
        lent = (select(ArchiveLoanItem.loan_id)
                .join(ArchiveItem, ArchiveItem.id == ArchiveLoanItem.item_id)
                .where(ArchiveItem.archive_number.contains(text, autoescape=True)
                       | ArchiveItem.title.contains(text, autoescape=True)))
        query = query.where(ArchiveLoan.id.in_(lent))
    return query


def listing(scoped: Select, f: LoanFilters) -> LoanListing:
    """One page of the filtered list, the newest request first, with its capped count."""
    query = filtered(scoped, f).options(*ROW_LOADS)
    page, total, capped = counted_page(query, ArchiveLoan, SORT, after=f.after, before=f.before)
    return LoanListing(page, total, capped)


def load_page(loan: ArchiveLoan) -> ArchiveLoan:
    """One loan with what its page shows (people, departments, items)."""
    load_related([loan], *PAGE_LOADS)
    return loan


def _time(value) -> str | None:
    return to_local(value).strftime("%Y-%m-%d %H:%M") if value else None


def export_table(scoped: Select, f: LoanFilters):
    """(headers, rows) of the whole filtered list in the page's order, one row per loan."""
    headers = [_("借阅编号"), _("档号"), _("题名"), _("借阅人"), _("档案所属部门"), _("借阅方式"),
               _("借阅用途"), _("借阅天数"), _("续借天数"), _("状态"), _("申请时间"), _("批准时间"),
               _("到期时间"), _("出借时间"), _("归还时间"), _("归还检查"), _("密级")]
    query = filtered(scoped, f).options(*ROW_LOADS).order_by(*SORT.order_by(ArchiveLoan, True))
    loans = db.session.scalars(query.execution_options(yield_per=500))
    return headers, (_row(loan) for loan in loans)


def _row(loan: ArchiveLoan) -> tuple:
    items = [line.item for line in loan.lines]
    return (f"#{loan.id}", "\n".join(i.archive_number for i in items),
            "\n".join(i.title for i in items), loan.borrower.full_name,
            str(loan.department.label), str(loan.method.label), loan.purpose, loan.days,
            loan.renewal_days, shown_status(loan)[1], _time(loan.created_at),
            _time(loan.approved_at), _time(loan.due_at), _time(loan.handed_out_at),
            _time(loan.returned_at),
            str(loan.return_condition.label) if loan.return_condition else None,
            str(loan.confidentiality.label))


@dataclass
class LoanApproval:
    """The loan's approval request (its signatures loaded) and who its step waits for."""

    request: ApprovalRequest | None
    waiting_for: list[str]


def approval_of(loan: ArchiveLoan) -> LoanApproval:
    request = db.session.scalar(
        select(ApprovalRequest).where(ApprovalRequest.record_type == LoanKind.record_type,
                                      ApprovalRequest.record_id == loan.id)
        .order_by(ApprovalRequest.id.desc()).limit(1))
    if request is None:
        return LoanApproval(None, [])
    load_requests([request])
    names = db.session.scalars(
        select(User.full_name).join(ApprovalAssignment, ApprovalAssignment.user_id == User.id)
        .where(ApprovalAssignment.request_id == request.id,
               ApprovalAssignment.step == request.current_step,
               ApprovalAssignment.done.is_(False)).order_by(User.id))
    pending = request.status == RequestStatus.PENDING
    return LoanApproval(request, list(names) if pending else [])
