"""A loan's one-click actions, each back to the loan's page with its outcome: the archivist
hands a paper loan out and takes it back with its completeness check; the borrower renews
once. The rules are in app/services/archive/loans/execution.py."""

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import flash_outcome
from app.blueprints.archive import bp
from app.blueprints.archive.loans.forms import RenewForm, ReturnForm
from app.htmx import redirect
from app.models.archive import ArchiveLoan, ReturnCondition
from app.policy import Action
from app.services.archive.loans import execution
from app.services.archive.loans.requests import LoanRefused


def _back(loan: ArchiveLoan):
    return redirect(url_for("archive.loan_detail", loan_id=loan.id))


def _condition(code: str | None) -> ReturnCondition | None:
    try:
        return ReturnCondition(code)
    except ValueError:
        return None


@bp.post("/loans/<int:loan_id>/hand-out")
@login_required
def loan_hand_out(loan_id: int):
    """The archivist hands an approved paper loan out (its period starts); refuses any other
    loan and an item already out."""
    loan = policy.load(ArchiveLoan, loan_id, Action.EDIT)
    flash_outcome(lambda: execution.hand_out(loan, current_user),
                  _("已出借，借阅期限自现在起计算。"), LoanRefused)
    return _back(loan)


@bp.post("/loans/<int:loan_id>/return")
@login_required
def loan_return(loan_id: int):
    """The archivist takes a paper loan back: 完整, or 缺损 with a note; refuses a loan that
    is not out."""
    loan = policy.load(ArchiveLoan, loan_id, Action.EDIT)
    form = ReturnForm()
    flash_outcome(lambda: execution.mark_returned(loan, current_user,
                                                  _condition(form.condition.data),
                                                  form.note.data or ""),
                  _("已登记归还。"), LoanRefused)
    return _back(loan)


@bp.post("/loans/<int:loan_id>/renew")
@login_required
def loan_renew(loan_id: int):
    """The borrower renews a running loan once, the whole loan within 30 days."""
    loan = policy.load(ArchiveLoan, loan_id, Action.BORROW)
    form = RenewForm()
    flash_outcome(lambda: execution.renew(loan, form.days.data), _("已续借。"), LoanRefused)
    return _back(loan)
