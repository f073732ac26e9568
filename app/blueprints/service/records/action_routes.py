"""The record page's actions, each a POST form that comes back to the record (303) with its
outcome: assigning the 负责人 (the 客服 manager), a status step, the customer's confirmation,
a transfer to a 客服 colleague with its reason, the arrival on site under an on-site
commitment, the submission of a closed record to its 审核 (signed in the approvals inbox)."""

from flask import flash, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms.validators import Optional

from app import policy
from app.blueprints._kit import flash_outcome
from app.blueprints._once import once
from app.blueprints.service import bp
from app.blueprints.service.records.forms import (
    MOMENT,
    ConfirmationForm,
    HandlerForm,
    StatusForm,
)
from app.htmx import redirect
from app.models.service.records import ConfirmationMethod, ServiceRecord, ServiceStatus
from app.parsing import MomentField
from app.policy import Action
from app.services.approvals.engine import ApprovalError
from app.services.service.records import review, workflow
from app.services.service.records.rules import RecordRefused
from app.timeutil import local_wall_clock


def _back(record_id: int):
    return redirect(url_for("service.record_detail", record_id=record_id))


def _invalid(form) -> None:
    """A form whose fields do not parse: its first message, nothing done."""
    messages = [m for errors in form.errors.values() for m in errors]
    flash(str(messages[0]) if messages else _("请检查填写的内容。"), "danger")


def _act(form, action, done: str, record_id: int):
    """Runs `action` if the form is valid, commits or rolls back, and goes back to the record."""
    if form.validate_on_submit():
        flash_outcome(action, done, RecordRefused)
    else:
        _invalid(form)
    return _back(record_id)


@bp.post("/records/<int:record_id>/assign")
@login_required
def record_assign(record_id: int):
    """The 客服 manager names the 负责人 (客服部 staff or manager)."""
    record = policy.load(ServiceRecord, record_id, Action.MANAGE)
    form = HandlerForm()
    return _act(form, lambda: workflow.assign(record, form.handler_id.data, current_user),
                _("已指派负责人。"), record_id)


@bp.post("/records/<int:record_id>/transfer")
@login_required
@once
def record_transfer(record_id: int):
    """Passes the record to another 客服 colleague; refuses a transfer without a reason."""
    record = policy.load(ServiceRecord, record_id, Action.EDIT)
    form = HandlerForm()
    return _act(form, lambda: workflow.transfer(record, form.handler_id.data, current_user,
                                                form.reason.data),
                _("已转交。"), record_id)


@bp.post("/records/<int:record_id>/status")
@login_required
def record_status(record_id: int):
    """A status step; refuses a step the course does not have, reopening without a reason and
    closing before the customer's confirmation."""
    record = policy.load(ServiceRecord, record_id, Action.EDIT)
    form = StatusForm()
    return _act(form, lambda: workflow.change_status(record, ServiceStatus(form.to.data),
                                                     current_user, form.reason.data),
                _("处理进度已更新。"), record_id)


@bp.post("/records/<int:record_id>/confirmation")
@login_required
@once
def record_confirmation(record_id: int):
    """Records the customer's confirmation of a 已完成 record (needed before closing)."""
    record = policy.load(ServiceRecord, record_id, Action.EDIT)
    form = ConfirmationForm()

    def confirm():
        at = form.confirmed_at.data or local_wall_clock().replace(second=0)
        workflow.confirm(record, current_user, satisfaction=form.satisfaction.data,
                         method=ConfirmationMethod(form.method.data),
                         confirmed_by=form.confirmed_by.data, confirmed_at=at,
                         feedback=form.feedback.data)

    return _act(form, confirm, _("已登记客户确认。"), record_id)


class ArrivalForm(FlaskForm):
    # Blank: now (the handler records it on arriving).
    arrived_at = MomentField(_l("到达时间"), format=MOMENT, validators=[Optional()])


@bp.post("/records/<int:record_id>/arrival")
@login_required
def record_arrival(record_id: int):
    """到达现场 under an on-site commitment, at the time given (default now); refuses a record
    without an on-site due, a second arrival, a time in the future or before 服务时间."""
    record = policy.load(ServiceRecord, record_id, Action.EDIT)
    form = ArrivalForm()

    def arrive():
        at = form.arrived_at.data or local_wall_clock().replace(second=0)
        workflow.record_arrival(record, current_user, at)

    return _act(form, arrive, _("已登记到达现场。"), record_id)


@bp.post("/records/<int:record_id>/submit")
@login_required
@once
def record_submit(record_id: int):
    """Submits a closed, customer-confirmed record to the 客服 manager's 审核; refuses an open
    record and one whose current content is signed or waiting for a signature."""
    record = policy.load(ServiceRecord, record_id, Action.SUBMIT)
    flash_outcome(lambda: review.submit_review(record, current_user), _("已提交审核。"),
                  ApprovalError)
    return _back(record_id)
