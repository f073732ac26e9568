"""客户归属变更 (/sales/ownership/): ask for another's customer, see the requests and their
decisions. The decision itself is signed in 我的待办 (the approval engine)."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from app import policy
from app.blueprints._kit import send_table
from app.blueprints._once import once
from app.blueprints.sales import bp
from app.extensions import db
from app.forms import FilterForm, options, strip
from app.htmx import redirect, render
from app.models import ApprovalRequest, Customer, OwnershipRequest, RequestStatus
from app.navigation import sales_section
from app.parsing import arg_id
from app.policy import Action
from app.services.approvals import engine as approvals
from app.services.approvals.pages import allowed
from app.services.sales.ownership import transfers as ownership
from app.services.sales.ownership.handover import may_reassign

LIST = "sales/ownership/list.html"


class OwnershipForm(FlaskForm):
    reason = TextAreaField(_l("申请理由"), filters=[strip], validators=[
        InputRequired(_l("请说明申请接手该客户的理由（如：本人先行邀约、客户指定等）。")),
        Length(min=4, max=500, message=_l("申请理由需 %(min)d–%(max)d 个字。"))])


class OwnershipFilterForm(FilterForm):
    """The list's view and status filter."""

    view = SelectField(choices=options([("mine", _l("与我有关")), ("waiting", _l("待我决定"))]),
                       default="mine")
    status = SelectField(choices=options([("", _l("全部状态"))], RequestStatus.choices()),
                         default="")
    after = StringField()
    before = StringField()


def _filters(form: OwnershipFilterForm) -> tuple[str, str]:
    """(view, status) of the list: 403 for who may not see requests at all; an invalid value
    is ignored (the requests related to the user, of every status)."""
    policy.require(Action.VIEW, OwnershipRequest)
    form.validate()
    view = "waiting" if form.view.data == "waiting" else "mine"
    return view, "" if form.errors else (form.status.data or "")


def _requests(view: str, status: str):
    """The requests the user may see (or, for "waiting", those waiting for their decision),
    never about a customer above their clearance."""
    cards = policy.scope(select(Customer.id), current_user, Customer, Action.VIEW_CARD)
    if view == "waiting":
        waiting = policy.scope(select(ApprovalRequest.record_id), current_user, ApprovalRequest,
                               Action.APPROVE).where(ApprovalRequest.flow_kind == ownership.FLOW)
        query = select(OwnershipRequest).where(OwnershipRequest.id.in_(waiting))
    else:
        query = policy.scope(select(OwnershipRequest), current_user, OwnershipRequest)
    # EXISTS per request, not IN (every visible customer): SQLite would list them all first.
    query = query.where(cards.where(Customer.id == OwnershipRequest.customer_id)
                        .correlate(OwnershipRequest).exists())
    return query.where(OwnershipRequest.status == status) if status else query


@bp.get("/ownership/")
@login_required
def ownership_list():
    """客户归属变更: requests the user made or that concern their customers (a manager: their
    department's customers; the GM: all), or those waiting for their decision; salespeople,
    managers and the GM."""
    form = OwnershipFilterForm(request.args)
    view, status = _filters(form)
    page, total, capped = ownership.listing(
        lambda: _requests(view, status), current_user._get_current_object(), (view, status),
        form.after.data or None, form.before.data or None)
    return render(LIST, "results", form=form, page=page, total=total, capped=capped,
                  may_reassign=may_reassign(current_user))


@bp.get("/ownership/export.xlsx")
@login_required
def ownership_export():
    """The list as filtered on the page, every page; audited."""
    form = OwnershipFilterForm(request.args)
    headers, rows = ownership.export_table(_requests(*_filters(form)))
    return send_table(_("客户归属变更"), headers, rows, "ownership.xlsx",
                      object_type="OwnershipRequest", form=form)


@bp.route("/ownership/new", methods=["GET", "POST"])
@login_required
@once
def ownership_new():
    """Asks for a customer whose card the user may see; refuses its owner, non-salespeople and a
    customer with a request, review or change already pending (the reason is shown)."""
    policy.require(Action.CREATE, OwnershipRequest)
    customer = policy.load(Customer, arg_id("customer") or 0, Action.VIEW_CARD)
    form = OwnershipForm()
    problem = ownership.refusal(customer, current_user)
    if problem is None and form.validate_on_submit():
        try:
            claim = ownership.request_transfer(customer, current_user, form.reason.data)
        except approvals.ApprovalError as refusal:
            db.session.rollback()
            problem = refusal
        else:
            db.session.commit()
            flash(_("已提交申请，等待销售经理决定。"), "success")
            return redirect(url_for("sales.ownership_detail", request_id=claim.id))
    status = 200 if request.method == "GET" else (problem.status if problem else 422)
    return render("sales/ownership/form.html", status=status, form=form, customer=customer,
                  problem=problem, pending=ownership.pending_for(customer.id))


@bp.get("/ownership/<int:request_id>")
@login_required
def ownership_detail(request_id: int):
    """One request: customer, from → to, reason, status and every signature; seen by the
    requester, the owner, the department's manager and the GM; 404 above clearance."""
    claim = policy.load(OwnershipRequest, request_id, Action.VIEW)
    if not policy.can(current_user, Action.VIEW_CARD, claim.customer):
        policy.deny(404, claim, Action.VIEW)
    requests = ownership.requests_of(claim)
    return render("sales/ownership/detail.html", claim=claim, requests=requests,
                  may_view=allowed(current_user, Action.VIEW, requests),
                  may_sign=allowed(current_user, Action.APPROVE, requests))


@bp.app_template_global("may_request_transfer")
def may_request_transfer(customer: Customer) -> bool:
    """For the customer page's button: may the signed-in user ask for this customer?"""
    return (current_user.is_authenticated
            and policy.can(current_user, Action.CREATE, OwnershipRequest)
            and ownership.may_request(current_user, customer))


sales_section(70, _l("客户归属"), "sales.ownership_list", OwnershipRequest,
              _l("申请接手客户，由销售经理决定；历史记录与签字"))
