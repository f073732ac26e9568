"""The SLA policy page (/service/sla/): read by 客服 people and the GM, edited by the 客服
manager; every saved change is audited and starts a recompute of the open records."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import form_status, send_table, show_refusal
from app.blueprints.service import bp
from app.extensions import db
from app.forms import options
from app.htmx import redirect, render
from app.models.service.sla import SlaPolicy
from app.navigation import service_section
from app.parsing import to_id
from app.policy import Action
from app.services.core.errors import EditConflict
from app.services.service.sla import policies, recompute
from app.services.service.sla.views import page_context, policy_rows

from .forms import AttachForm, PolicyForm

service_section(60, _l("SLA 时限"), "service.sla_policies", SlaPolicy,
                _l("响应与解决时限、上门服务承诺及其合同"))


@bp.get("/sla/")
@login_required
def sla_policies():
    """The standard policies, on-site profiles, their contracts and the last recompute."""
    policy.require(Action.VIEW, SlaPolicy)
    return _page(AttachForm())


def _page(attach_form: AttachForm, status: int = 200):
    """The policy page (with the attach form as posted, when it comes back)."""
    may_edit = policy.can(current_user, Action.MANAGE, SlaPolicy)
    attach_form.policy_id.choices = options((p.id, p.name) for p in policies.profiles())
    return render("service/sla/list.html", status=status, may_edit=may_edit,
                  attach_form=attach_form,
                  **page_context(current_user))


@bp.route("/sla/<int:policy_id>/edit", methods=["GET", "POST"])
@login_required
def sla_policy_edit(policy_id: int):
    """A policy's targets: the 客服 manager only (403 otherwise); stale forms refused."""
    policy.require(Action.MANAGE, SlaPolicy)
    target = db.session.get(SlaPolicy, policy_id) or abort(404)
    form = PolicyForm()
    if request.method == "GET":
        form.fill(target)
    elif form.validate_on_submit():
        try:
            run = policies.update(target, form.targets(), to_id(form.version.data) or -1,
                                  current_user)
        except EditConflict:
            db.session.rollback()
            form.fill(db.session.get(SlaPolicy, policy_id))
            form.form_errors.append(_("该时限已被他人修改，页面已显示最新内容，请核对后重新保存。"))
        except policies.SlaRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            _after_change(run, _("时限已保存，正在重新计算未完成服务记录的期限。"),
                          _("时限没有变化。"))
            return redirect(url_for("service.sla_policies"))
    return render("service/sla/form.html", "form", status=form_status(), form=form,
                  target=target, label=policies.label(target))


def _after_change(run, done: str, unchanged: str) -> None:
    """After the commit: the recompute run enqueued, the outcome flashed."""
    if run is None:
        flash(unchanged, "info")
        return
    recompute.enqueue(run.id)
    flash(done, "success")


@bp.get("/sla/export.xlsx")
@login_required
def sla_policy_export():
    """The policies and profiles as Excel (VIEW/EXPORT: 客服 people and the GM)."""
    policy.require(Action.EXPORT, SlaPolicy)
    headers, rows = policy_rows()
    return send_table(_("SLA 时限"), headers, rows, "sla-policies", object_type="SlaPolicy")
