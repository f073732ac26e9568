"""档案借阅 on 我的工作台 (services.core.home_tiles): the archivist's paper loans waiting to be
handed out and those overdue; a borrower's own running and overdue loans. Each figure is one
capped count in the user's policy scope; a borrower with neither gets no tile."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.models import Role
from app.models.archive import ArchiveLoan, LoanMethod, LoanStatus
from app.policy import Action
from app.policy.archive.loans import now
from app.services.archive.loans.lists import OVERDUE, RUNNING, overdue, running
from app.services.core.home_tiles import TILE_CAP, Figure, Tile
from app.services.core.pagination import capped_count

LIST = "archive.loan_list"


def _count(query) -> tuple[int, bool]:
    return capped_count(query, ArchiveLoan, TILE_CAP)


def _overdue_figure(query) -> Figure:
    return Figure("loans-overdue", _("逾期未还"), *_count(overdue(query)), LIST,
                  {"status": OVERDUE}, alert=True)


def loans_tile(user, today: date) -> Tile | None:
    """档案借阅: what the archivist has to hand out or chase, or the borrower's loans."""
    if not policy.can(user, Action.VIEW, ArchiveLoan):
        return None
    scoped = policy.scope(select(ArchiveLoan), user, ArchiveLoan)
    if user.role == Role.ARCHIVIST:
        waiting = scoped.where(ArchiveLoan.status == LoanStatus.APPROVED,
                               ArchiveLoan.method == LoanMethod.PAPER, ArchiveLoan.due_at > now())
        return Tile("archive-loans", _("档案借阅"), (
            Figure("loans-to-hand-out", _("待出借"), *_count(waiting), LIST,
                   {"status": LoanStatus.APPROVED.value, "method": LoanMethod.PAPER.value}),
            _overdue_figure(scoped)))
    mine = scoped.where(ArchiveLoan.borrower_id == user.id)
    late = _overdue_figure(mine)
    out = Figure("loans-running", _("借阅中"), *_count(running(mine)), LIST, {"status": RUNNING})
    if not (out.count or late.count):
        return None
    return Tile("archive-loans", _("我的档案借阅"), (out, late))
