"""离职交接 (/sales/reassign/): the sales manager (or the GM) gives everything a departed
salesperson still holds to one active colleague, in one confirmed step."""

from flask import flash, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import InputRequired

from app import policy
from app.blueprints._kit import in_scope, send_table
from app.blueprints._once import once
from app.blueprints.sales import bp
from app.extensions import db
from app.htmx import redirect, render
from app.models import Contract, Customer, User, VisitPlan
from app.parsing import IdField, arg_id
from app.policy import Action
from app.services.approvals.engine import ApprovalError
from app.services.core import departures
from app.services.core.loading import load_related
from app.services.sales.ownership import handover as reassign
from app.services.sales.ownership.handover_export import export_table as handover_table


class ReassignForm(FlaskForm):
    to = IdField(validators=[InputRequired(message=_l("请选择接手的同事。"))])
    password = PasswordField(validators=[
        InputRequired(message=_l("请输入您的登录密码以签字确认。"))])


def _scopes() -> reassign.Scopes:
    """What the user may see of each kind of record (the reassignment never reaches further);
    refuses everyone but the sales manager and the GM."""
    policy.require(Action.VIEW, "sales")
    if not reassign.may_reassign(current_user):
        policy.deny(403, "sales.reassign", Action.EDIT)
    return reassign.Scopes(customers=in_scope(Customer), contracts=in_scope(Contract),
                           visits=in_scope(VisitPlan),
                           leavers=reassign.departed_people(current_user),
                           level=current_user.clearance)


def _departed(scopes: reassign.Scopes, user_id: int) -> reassign.Holdings:
    """The departed owner's holdings in scope; 404 for anyone else."""
    holdings = reassign.holdings_of(scopes, user_id)
    if holdings is None:
        policy.deny(404, "sales.reassign", Action.EDIT)
    return holdings


@bp.get("/reassign/")
@login_required
def reassign_list():
    """Departed salespeople who still hold customers, open contracts or planned visits in the
    user's scope, or open records of other departments (客服部's service records and return
    visits), with the counts of each; the sales manager and the GM only."""
    scopes = _scopes()
    holdings = reassign.departed_holdings(scopes)
    choices = {h.user.id: reassign.candidates(current_user, h.user) for h in holdings}
    return render("sales/reassign/list.html", holdings=holdings, choices=choices,
                  kinds=departures.kinds())


@bp.get("/reassign/alert")
@login_required
def reassign_alert():
    """The sales home's notice of departed owners to hand over (empty for others)."""
    policy.require(Action.VIEW, "sales")
    if not reassign.may_reassign(current_user):
        return "", 204
    holdings = reassign.departed_holdings(_scopes())
    return render("sales/reassign/_alert.html", holdings=holdings, kinds=departures.kinds())


@bp.get("/reassign/<int:user_id>")
@login_required
def reassign_confirm(user_id: int):
    """The confirmation page: what will move to the chosen colleague, or why it cannot."""
    scopes = _scopes()
    holdings = _departed(scopes, user_id)
    new_owner = db.session.get(User, arg_id("to") or 0)
    problem = None
    try:
        reassign.check(scopes, current_user, holdings.user, new_owner)
    except reassign.Refused as refusal:
        problem = refusal.message
    return render("sales/reassign/confirm.html", status=422 if problem else 200,
                  holdings=holdings, new_owner=new_owner, problem=problem,
                  blocked=problem is not None, form=ReassignForm(), kinds=departures.kinds(),
                  choices=reassign.candidates(current_user, holdings.user))


@bp.post("/reassign/<int:user_id>")
@login_required
@once
def reassign_apply(user_id: int):
    """Moves everything the departed owner holds in scope to the chosen colleague in one
    transaction; refuses an owner who is not an active salesperson cleared for every record."""
    scopes = _scopes()
    holdings = _departed(scopes, user_id)
    form = ReassignForm()
    new_owner = db.session.get(User, form.to.data or 0) if form.to.data else None
    if not form.validate_on_submit():
        return _refused(holdings, new_owner, form, next(iter(form.errors.values()))[0])
    try:
        moved = reassign.reassign(scopes, current_user, holdings.user, new_owner,
                                  form.password.data)
    except reassign.Refused as refusal:
        db.session.rollback()
        return _refused(holdings, new_owner, form, refusal.message, blocked=True)
    except ApprovalError as refusal:
        db.session.commit()  # nothing moved yet: keeps the failed-password count and its audit
        return _refused(holdings, new_owner, form, refusal.message)
    db.session.commit()
    flash(_("已将 %(who)s 的客户 %(c)d 个、合同 %(k)d 份、拜访计划 %(v)d 条转交 %(to)s。",
            who=holdings.user.full_name, c=moved.customers, k=moved.contracts, v=moved.visits,
            to=new_owner.full_name) + _others(moved), "success")
    return redirect(url_for("sales.reassign_list"))


def _others(moved: reassign.Holdings) -> str:
    """What went along from other departments, for the notice ('' when nothing did)."""
    kinds = departures.kinds()
    items = "、".join(f"{kinds[kind]} {count}" for kind, count in moved.others.items()
                     if count and kind in kinds)
    return _("其他部门的记录一并转交：%(items)s。", items=items) if items else ""


def _refused(holdings: reassign.Holdings, new_owner: User | None, form: ReassignForm,
             problem: str, blocked: bool = False):
    """The confirmation page again (422) with the reason the hand-over did not happen;
    `blocked`: the chosen colleague cannot take over, so the page asks for another."""
    load_related([holdings.user, new_owner])  # read again: the rollback or commit expired them
    return render("sales/reassign/confirm.html", status=422, holdings=holdings,
                  new_owner=new_owner, problem=problem, blocked=blocked, form=form,
                  kinds=departures.kinds(),
                  choices=reassign.candidates(current_user, holdings.user))


@bp.get("/reassign/export.xlsx")
@login_required
def reassign_export():
    """The page's list (departed salespeople and what they still hold in the user's scope and
    in other departments) as a workbook; the sales manager and the GM only, like the page;
    audited."""
    holdings = reassign.departed_holdings(_scopes())
    headers, rows = handover_table(holdings)
    return send_table(_("离职人员交接"), headers, rows, "departed-handover.xlsx",
                      object_type="User")
