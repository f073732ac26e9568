"""跟进频次 (/service/follow-ups/cadence): the cadence rule table, read by 客服 people and the
GM, changed by the 客服 manager; saving recomputes the affected records' next due dates."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired

from app import policy
from app.blueprints._kit import form_status, show_refusal
from app.blueprints.service import bp
from app.extensions import db
from app.htmx import redirect, render
from app.models.service.follow_ups import CadenceBasis, FollowUpCadence
from app.policy import Action
from app.services.service.follow_ups import cadence


class DaysField(StringField):
    """A whole number of days, 1–365; a Chinese message for anything else."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        text = (self.data or "").strip()
        self.data = int(text) if text.isascii() and text.isdigit() else None
        if text and (self.data is None or not cadence.MIN_DAYS <= self.data <= cadence.MAX_DAYS):
            self.data = None
            raise ValueError(_l("请填写 %(min)d–%(max)d 之间的整数天数。",
                                min=cadence.MIN_DAYS, max=cadence.MAX_DAYS))


def _days(label):
    return DaysField(label, validators=[InputRequired(_l("请填写跟进间隔天数。"))])


class CadenceForm(FlaskForm):
    A = _days(_l("A类客户（天）"))
    B = _days(_l("B类客户（天）"))
    C = _days(_l("C类客户（天）"))
    high = _days(_l("优先级高（天）"))

    def days(self) -> dict[CadenceBasis, int]:
        """The intervals typed, by basis."""
        return {basis: self[basis.value].data for basis in CadenceBasis}


@bp.route("/follow-ups/cadence", methods=["GET", "POST"])
@login_required
def follow_up_cadence():
    """The cadence table; the 客服 manager saves it (403 for others' posts), audited, and the
    open records' next due dates follow."""
    policy.require(Action.VIEW, FollowUpCadence)
    may_edit = policy.can(current_user, Action.MANAGE, FollowUpCadence)
    form = CadenceForm()
    if request.method == "POST":
        policy.require(Action.MANAGE, FollowUpCadence)
        if form.validate_on_submit():
            try:
                changes, moved = cadence.update(form.days(), current_user)
            except cadence.Refused as refusal:
                db.session.rollback()
                show_refusal(form, refusal)
            else:
                db.session.commit()
                flash(_("跟进频次已保存，%(n)d 条服务记录的下次跟进日期已重新计算。", n=moved)
                      if changes else _("跟进频次没有变化。"), "success")
                return redirect(url_for("service.follow_up_cadence"))
    else:
        for basis, days in cadence.table().items():
            form[basis.value].data = days
    return render("service/follow_up/cadence.html", "form", status=form_status(), form=form,
                  may_edit=may_edit)
