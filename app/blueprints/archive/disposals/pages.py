"""A disposal list's page as its views render it (shown, or again with a form's errors)."""

from flask_login import current_user

from app import policy
from app.blueprints.archive.disposals.forms import AbortForm, ExecuteForm, KeepForm
from app.htmx import render
from app.models.archive import DisposalList
from app.policy import Action
from app.services.archive.disposals import lists, operations


def detail_page(disposal: DisposalList, status: int = 200, **forms):
    """A list's page, with the forms its user may send (those given keep their errors)."""
    page = lists.load_page(disposal)
    user = current_user
    return render(
        "archive/disposals/detail.html", status=status, page=page, disposal=page.disposal,
        keep_form=forms.get("keep_form") or KeepForm(),
        abort_form=forms.get("abort_form") or AbortForm(),
        execute_form=forms.get("execute_form") or ExecuteForm(),
        can_keep=policy.can(user, Action.APPROVE, disposal),
        can_abort=policy.can(user, Action.EDIT, disposal),
        can_execute=policy.can(user, Action.DISPOSE, disposal),
        executable=operations.executable(disposal),
        can_print=policy.can(user, Action.PRINT, disposal))
