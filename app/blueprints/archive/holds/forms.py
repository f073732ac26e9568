"""The holds' forms: placing one (an item by id from the catalogue or by 档号 as typed, a
customer from the picker, or a record kind; `item_id` and `reason` alone hold one item), its
release, and the list's filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.forms import FilterForm, options, strip
from app.models.archive import HoldScope
from app.parsing import IdField
from app.services.archive.holds.operations import REASON_MAX

_TOO_LONG = _l("不能超过 %(max)d 个字。")


class HoldForm(FlaskForm):
    scope = RadioField(_l("冻结范围"), choices=options(HoldScope.choices()),
                       default=HoldScope.ITEM.value)
    item_id = IdField()
    archive_number = StringField(_l("档号"), filters=[strip], validators=[
        Optional(), Length(max=64, message=_TOO_LONG)])
    customer_id = IdField(_l("客户"))
    record_type = SelectField(_l("档案类别"), choices=[], default="")
    reason = TextAreaField(_l("冻结原因"), filters=[strip], validators=[
        InputRequired(_l("请填写冻结原因（如诉讼、审计、调查的案由和编号）。")),
        Length(max=REASON_MAX, message=_TOO_LONG)])


class ReleaseForm(FlaskForm):
    release_reason = TextAreaField(_l("解除原因"), filters=[strip], validators=[
        InputRequired(_l("请填写解除原因。")), Length(max=REASON_MAX, message=_TOO_LONG)])


class HoldFilterForm(FilterForm):
    state = SelectField(choices=options([("active", _l("冻结中")), ("released", _l("已解除")),
                                         ("", _l("全部"))]), default="active")
    scope = SelectField(choices=options([("", _l("全部范围"))], HoldScope.choices()),
                        default="")
    after = StringField()
    before = StringField()
