"""Administrators edit approval flows: who approves what, in which order, above which amount."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policy
from app.blueprints.admin import bp
from app.blueprints.admin.flow_forms import FlowForm, rearranged
from app.extensions import db
from app.htmx import redirect, render
from app.models import ApprovalFlow
from app.policy import Action
from app.services.approvals import flows
from app.services.core import accounts

FORM = "admin/flow/form.html"


@bp.get("/flows/")
@login_required
def flow_list():
    """Lists the approval flows with their steps; administrators only."""
    policy.require(Action.VIEW, ApprovalFlow)
    query = policy.scope(select(ApprovalFlow), current_user, ApprovalFlow)
    rows = flows.list_flows(query)
    return render("admin/flow/list.html", flows=rows,
                  fields={flow.kind: flows.condition_fields(flow.kind) for flow in rows})


def _form(flow: ApprovalFlow, **kwargs) -> FlowForm:
    return FlowForm(departments=accounts.departments(),
                    condition_fields=flows.condition_fields(flow.kind), **kwargs)


def _page(flow: ApprovalFlow, form: FlowForm, status: int = 200):
    hints = [flows.who_signs(step) for step in form.step_data()]
    return render(FORM, "flow_form", status=status, flow=flow, form=form, hints=hints)


@bp.route("/flows/<int:flow_id>/edit", methods=["GET", "POST"])
@login_required
def flow_edit(flow_id: int):
    """Edits a flow's ordered steps; refuses (422) an empty flow or a step nobody can sign."""
    policy.require(Action.MANAGE, ApprovalFlow)  # settings, not records: 403, like the list
    flow = policy.load(ApprovalFlow, flow_id, Action.MANAGE)
    command = request.form.get("op", "save")
    if request.method == "POST" and command != "save":  # add / remove / move: nothing saved
        return _page(flow, _form(flow, formdata=rearranged(request.form, command)))
    form = _form(flow, obj=flow if request.method == "GET" else None)
    if form.validate_on_submit():
        problems = flows.save_steps(flow, form.step_data(), current_user)
        if not problems:
            db.session.commit()
            flash(_("审批流程已保存，新提交的审批按新流程执行。"), "success")
            return redirect(url_for("admin.flow_list"))
        form.show(problems)
    return _page(flow, form, status=422 if request.method == "POST" else 200)
