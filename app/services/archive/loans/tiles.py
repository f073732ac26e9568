"""档案借阅 on 我的工作台 (services.core.home_tiles): the archivist's paper loans waiting to be
handed out and those overdue; a borrower's own running and overdue loans. Each figure is a
count in the user's policy scope (the home page counts them); a borrower with neither gets no
tile."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.models import Role
from app.models.archive import ArchiveLoan, LoanMethod, LoanStatus
from app.policy import Action
from app.policy.archive.loans import now_in_sql
from app.services.archive.loans.lists import OVERDUE, RUNNING, overdue, running
from app.services.core.home_tiles import Figure, Tile

LIST = "archive.loan_list"


def _overdue_figure(query) -> Figure:
    return Figure("loans-overdue", _("逾期未还"), endpoint=LIST, args={"status": OVERDUE},
                  alert=True, counting=overdue(query), model=ArchiveLoan)


def loans_tile(user, today: date) -> Tile | None:
    """档案借阅: what the archivist has to hand out or chase, or the borrower's loans."""
    if not policy.can(user, Action.VIEW, ArchiveLoan):
        return None
    scoped = policy.scope(select(ArchiveLoan), user, ArchiveLoan)
    if user.role == Role.ARCHIVIST:
        waiting = scoped.where(ArchiveLoan.status == LoanStatus.APPROVED,
                               ArchiveLoan.method == LoanMethod.PAPER,
                               ArchiveLoan.due_at > now_in_sql())
        return Tile("archive-loans", _("档案借阅"), (
            Figure("loans-to-hand-out", _("待出借"), endpoint=LIST,
                   args={"status": LoanStatus.APPROVED.value, "method": LoanMethod.PAPER.value},
                   counting=waiting, model=ArchiveLoan),
            _overdue_figure(scoped)))
    mine = scoped.where(ArchiveLoan.borrower_id == user.id)
    out = Figure("loans-running", _("借阅中"), endpoint=LIST, args={"status": RUNNING},
                 counting=running(mine), model=ArchiveLoan)
    return Tile("archive-loans", _("我的档案借阅"), (out, _overdue_figure(mine)),
                shown_when_zero=False)
