"""Reading a lent item (在线查阅): the viewer page shows the item's frozen copy under a watermark
naming the borrower and the time, and each opening is audited. The copy itself is served by
the catalogue (its copy.pdf, watermarked too), which asks policy, hence loan_allows, again."""

from flask_babel import gettext as _

from app.models import User
from app.models.archive import ArchiveItem, ArchiveLoan
from app.policy.archive.loans import now
from app.services.archive.loans.kind import items_of
from app.services.core import audit
from app.timeutil import to_local


def lent_item(loan: ArchiveLoan, item_id: int) -> ArchiveItem | None:
    """The item with this id if the loan lends it (None: not this loan's)."""
    return next((item for item in items_of(loan) if item.id == item_id), None)


def watermark(loan: ArchiveLoan, viewer: User) -> str:
    """李晓明 · S1001 · 2026-12-06 10:30 · 借阅 #12: who reads, when, under which loan."""
    at = to_local(now()).strftime("%Y-%m-%d %H:%M")
    return _("%(name)s · %(number)s · %(at)s · 借阅 #%(loan)d", name=viewer.full_name,
             number=viewer.employee_no, at=at, loan=loan.id)


def record_view(loan: ArchiveLoan, item: ArchiveItem, viewer: User) -> str:
    """Audits the opening of the item under the loan; returns the page's watermark."""
    audit.record("archive_loan_viewed", item, actor=viewer, changes={
        "loan": loan.id, "method": loan.method, "due_at": loan.due_at})
    return watermark(loan, viewer)
