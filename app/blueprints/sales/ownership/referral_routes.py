"""老客户转介绍登记 (/sales/referrals/): list, register, edit, export."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app import policy
from app.blueprints._kit import (
    deferred_list_scope,
    form_status,
    in_scope,
    scoped_list,
    send_table,
    show_refusal,
)
from app.blueprints._once import once
from app.blueprints.sales import bp
from app.extensions import db
from app.forms import FilterForm, blank_to_none, options, strip
from app.htmx import redirect, render
from app.models import Customer, Referral, ReferralOutcome, Role
from app.navigation import sales_section
from app.parsing import DayField, IdField
from app.policy import Action
from app.services.core.edits import stamp
from app.services.core.errors import EditConflict
from app.services.customers.owners import owner_options
from app.services.sales.ownership import referrals
from app.timeutil import local_today

LIST = "sales/referral/list.html"
FORM = "sales/referral/form.html"


class ReferralForm(FlaskForm):
    referrer = StringField(_l("老客户"), filters=[strip], validators=[
        InputRequired(_l("请填写介绍人（老客户）的客户编号或名称。")), Length(max=100)])
    referred = StringField(_l("被介绍客户"), filters=[strip], validators=[
        InputRequired(_l("请填写被介绍客户的名称（已登记的客户可填编号）。")),
        Length(max=100, message=_l("名称不能超过 %(max)d 个字。"))])
    referred_on = DayField(_l("介绍日期"), validators=[InputRequired(_l("请填写介绍日期。"))])
    outcome = SelectField(_l("跟进结果"), choices=options(ReferralOutcome.choices()),
                          default=ReferralOutcome.FOLLOWING.value)
    reward_note = TextAreaField(_l("奖励说明"), filters=[blank_to_none], validators=[
        Length(max=1000, message=_l("奖励说明不能超过 %(max)d 个字。"))])
    seen = HiddenField()

    def validate_referred_on(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("介绍日期不能晚于今天。"))


class ReferralFilterForm(FilterForm):
    """The list's search and filters."""

    q = StringField(_l("搜索"), filters=[strip])
    outcome = SelectField(choices=options([("", _l("全部结果"))], ReferralOutcome.choices()),
                          default="")
    owner = IdField(validators=[Optional()])
    start = DayField(validators=[Optional()])
    end = DayField(validators=[Optional()])
    after = StringField()
    before = StringField()


def _valid(field):
    """A filter's value, or None when it is invalid (ignored, not fatal)."""
    return None if field.errors else field.data


def _filters(form: ReferralFilterForm) -> referrals.ReferralFilters:
    form.validate()
    return referrals.ReferralFilters(
        q=form.q.data or "", outcome=_valid(form.outcome) or "", owner=_valid(form.owner),
        start=_valid(form.start), end=_valid(form.end), after=form.after.data or None,
        before=form.before.data or None)


@bp.get("/referrals/")
@login_required
def referral_list():
    """转介绍登记: the referrals of the user's customers (managers: the department; GM: all)."""
    scoped = deferred_list_scope(Referral)
    form = ReferralFilterForm(request.args)
    listing = referrals.listing(scoped, current_user._get_current_object(), _filters(form))
    return render(LIST, "results", form=form, listing=listing,
                  owners=owner_options() if current_user.role != Role.STAFF else [],
                  can_create=policy.can(current_user, Action.CREATE, Referral))


@bp.get("/referrals/export.xlsx")
@login_required
def referral_export():
    """The list as filtered on the page, every page; audited."""
    scoped = scoped_list(Referral)
    form = ReferralFilterForm(request.args)
    headers, rows = referrals.export_table(scoped, _filters(form))
    return send_table(_("转介绍登记"), headers, rows, "referrals.xlsx", object_type="Referral",
                      form=form)


def _customers(action: Action):
    """Customers the user may pick: their own (VIEW) as referrer, any card as referred."""
    return in_scope(Customer, action)


def _data(form: ReferralForm) -> referrals.ReferralData:
    return referrals.ReferralData(
        referrer=form.referrer.data, referred=form.referred.data,
        referred_on=form.referred_on.data, outcome=ReferralOutcome(form.outcome.data),
        reward_note=form.reward_note.data)


@bp.route("/referrals/new", methods=["GET", "POST"])
@login_required
@once
def referral_new():
    """Registers a referral of one of the user's customers; refuses a referrer outside their
    customers and a referred customer that is the referrer itself."""
    policy.require(Action.CREATE, Referral)
    form = ReferralForm()
    if request.method == "GET":
        form.referred_on.data = local_today()
    if form.validate_on_submit():
        try:
            referrals.create_referral(_data(form), _customers(Action.VIEW),
                                      _customers(Action.VIEW_CARD), current_user)
        except referrals.Refused as refusal:
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("转介绍已登记。"), "success")
            return redirect(url_for("sales.referral_list"))
    return render(FORM, "form", status=form_status(), form=form, referral=None)


@bp.route("/referrals/<int:referral_id>/edit", methods=["GET", "POST"])
@login_required
def referral_edit(referral_id: int):
    """Edits a referral (the referring customer stays); a stale form gets a conflict message
    and keeps what the user typed; 404 out of scope, 403 for read-only viewers."""
    referral = policy.load(Referral, referral_id, Action.EDIT)
    form = ReferralForm(obj=referral)
    form.referrer.data = referral.referrer.number
    conflict = False
    if request.method == "GET":
        known = referral.referred and policy.can(current_user, Action.VIEW_CARD,
                                                 referral.referred)
        form.referred.data = referral.referred.number if known else referral.referred_name
        form.seen.data = stamp(referral)
    elif form.validate_on_submit():
        try:
            referrals.update_referral(referral, _data(form), form.seen.data,
                                      _customers(Action.VIEW_CARD), current_user)
        except referrals.Refused as refusal:
            show_refusal(form, refusal)
        except EditConflict:
            db.session.rollback()
            conflict = True
            form.seen.data = stamp(referral)
        else:
            db.session.commit()
            flash(_("转介绍登记已保存。"), "success")
            return redirect(url_for("sales.referral_list"))
    return render(FORM, "form", status=form_status(), form=form,
                  referral=referrals.load_row(referral), conflict=conflict)


sales_section(75, _l("转介绍登记"), "sales.referral_list", Referral,
              _l("老客户转介绍新客户：介绍日期、跟进结果、奖励说明"))
