"""On-site profiles of contracts (/service/sla/contracts): the 客服 manager links a contract
that promises on-site service to a profile, or removes the link; each starts a recompute."""

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import show_refusal
from app.blueprints._once import once
from app.blueprints.service import bp
from app.extensions import db
from app.forms import options
from app.htmx import redirect
from app.models.service.sla import SlaPolicy
from app.policy import Action
from app.services.service.sla import policies

from .forms import AttachForm
from .routes import _after_change, _page


@bp.post("/sla/contracts")
@login_required
@once
def sla_contract_attach():
    """Links a contract (by number) to an on-site profile; refusals shown on the page (422)."""
    policy.require(Action.MANAGE, SlaPolicy)
    form = AttachForm()
    form.policy_id.choices = options((p.id, p.name) for p in policies.profiles())
    if form.validate_on_submit():
        try:
            run = policies.attach(form.contract_number.data, form.policy_id.data, current_user)
        except policies.SlaRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            _after_change(run, _("已关联上门服务承诺，正在重新计算相关服务记录的期限。"), "")
            return redirect(url_for("service.sla_policies"))
    return _page(form, status=422)


@bp.post("/sla/contracts/<int:contract_id>/detach")
@login_required
def sla_contract_detach(contract_id: int):
    """Removes a contract's on-site profile (the page asks for confirmation first)."""
    policy.require(Action.MANAGE, SlaPolicy)
    try:
        run = policies.detach(contract_id, current_user)
    except policies.SlaRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "danger")
    else:
        db.session.commit()
        _after_change(run, _("已取消该合同的上门服务承诺，正在重新计算相关服务记录的期限。"), "")
    return redirect(url_for("service.sla_policies"))
