"""A loan as the approval engine and the record kinds registry see it: its snapshot is the
request as asked (borrower, method, purpose, period and each item by 档号, title and level),
so the signer signs exactly what is lent; approved, the period starts."""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Level, User
from app.models.approvals import ApprovalRequest, RequestStatus
from app.models.archive import ArchiveItem, ArchiveLoan, ArchiveLoanItem, LoanStatus
from app.policy.archive.loans import now
from app.services.core.loading import load_related
from app.services.core.notifications import Link

LINES = selectinload(ArchiveLoan.lines).selectinload(ArchiveLoanItem.item)


def items_of(loan: ArchiveLoan) -> list[ArchiveItem]:
    """The loan's items in the order asked (loaded with the loan when they were not)."""
    load_related([loan], LINES)
    return [line.item for line in loan.lines]


def loan_title(loan: ArchiveLoan, items: list[ArchiveItem]) -> str:
    """档案借阅（在线查阅）：TZ-HT·2026-D10-XS-00001 等 2 件."""
    first = items[0].archive_number if items else ""
    if len(items) > 1:
        return _("档案借阅（%(method)s）：%(first)s 等 %(n)d 件", method=loan.method.label,
                 first=first, n=len(items))
    return _("档案借阅（%(method)s）：%(first)s", method=loan.method.label, first=first)


def start_period(loan: ArchiveLoan, at: datetime) -> None:
    """The loan runs `days` (and its renewal, if taken) from `at`."""
    loan.due_at = at + timedelta(days=loan.days + (loan.renewal_days or 0))


class LoanKind:
    """借阅申请: approved, an online or copy loan opens at once and a paper loan waits for the
    archivist to hand it out; returned, it is closed."""

    record_type = "ArchiveLoan"

    def load(self, record_id: int) -> ArchiveLoan | None:
        return db.session.get(ArchiveLoan, record_id)

    def subject(self, loan: ArchiveLoan) -> ArchiveLoan:
        return loan

    def snapshot(self, loan: ArchiveLoan) -> dict:
        return {"record": "ArchiveLoan", "id": loan.id, "borrower_id": loan.borrower_id,
                "borrower_department_id": loan.borrower_department_id,
                "department_id": loan.department_id, "method": loan.method.value,
                "purpose": loan.purpose, "days": loan.days,
                "items": [{"id": item.id, "archive_number": item.archive_number,
                           "title": item.title, "level": int(item.confidentiality)}
                          for item in items_of(loan)]}

    def department_id(self, loan: ArchiveLoan) -> int:
        return loan.department_id

    def level(self, loan: ArchiveLoan) -> Level:
        return loan.confidentiality

    def title(self, loan: ArchiveLoan) -> str:
        borrower = db.session.get(User, loan.borrower_id)
        return f"{loan_title(loan, items_of(loan))} · {borrower.full_name}"

    def link(self, loan: ArchiveLoan) -> Link:
        return Link("archive.loan_detail", {"loan_id": loan.id})

    def numbers(self, loan: ArchiveLoan) -> dict:
        return {}

    def submitted(self, loan: ArchiveLoan, request: ApprovalRequest) -> None:
        loan.status = LoanStatus.PENDING

    def approved(self, loan: ArchiveLoan, request: ApprovalRequest) -> None:
        loan.status = LoanStatus.APPROVED
        loan.approved_at = now()
        start_period(loan, loan.approved_at)

    def returned(self, loan: ArchiveLoan, request: ApprovalRequest) -> None:
        loan.status = (LoanStatus.WITHDRAWN if request.status == RequestStatus.WITHDRAWN
                       else LoanStatus.REJECTED)
