"""Forms of a customer's contacts (联系人)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from app.forms import blank_to_none, options, strip
from app.services.core.validation import is_valid_phone, normalize_phone
from app.services.customers.contacts import ContactData

_PHONE_HINT = _l("请输入有效的手机号（11 位）或带区号的座机号（如 010-12345678）。")


def _phone(field) -> None:
    """Normalises a typed phone; refuses one that is neither a mobile nor a landline."""
    if not field.data:
        return
    field.data = normalize_phone(field.data)
    if not is_valid_phone(field.data):
        raise ValidationError(_PHONE_HINT)


class ContactForm(FlaskForm):
    name = StringField(_l("姓名"), filters=[strip], validators=[
        DataRequired(_l("请填写联系人姓名。")),
        Length(max=50, message=_l("姓名不能超过 %(max)d 个字。"))])
    title = StringField(_l("职务"), filters=[blank_to_none], validators=[
        Length(max=50, message=_l("职务不能超过 %(max)d 个字。"))])
    phone = StringField(_l("办公电话"), filters=[blank_to_none])
    mobile = StringField(_l("手机"), filters=[blank_to_none])
    email = StringField(_l("电子邮箱"), filters=[blank_to_none], validators=[
        Optional(), Email(_l("电子邮箱格式不正确。"), check_deliverability=False),
        Length(max=120, message=_l("电子邮箱不能超过 %(max)d 个字符。"))])
    notes = TextAreaField(_l("备注"), filters=[blank_to_none], validators=[
        Length(max=1000, message=_l("备注不能超过 %(max)d 个字。"))])
    is_primary = BooleanField(_l("设为主要联系人"))
    clear_phone = BooleanField(_l("清除办公电话"))
    clear_mobile = BooleanField(_l("清除手机"))
    stamp = HiddenField()

    def validate_phone(self, field):
        _phone(field)

    def validate_mobile(self, field):
        _phone(field)

    def data_object(self) -> ContactData:
        """The form's values for the contacts service."""
        return ContactData(
            name=self.name.data, title=self.title.data, phone=self.phone.data,
            mobile=self.mobile.data, email=self.email.data, notes=self.notes.data,
            is_primary=self.is_primary.data, clear_phone=self.clear_phone.data,
            clear_mobile=self.clear_mobile.data)


class ContactRevealForm(FlaskForm):
    field = SelectField(choices=options([("phone", _l("办公电话")), ("mobile", _l("手机"))]))
    reason = StringField(_l("查看原因"), filters=[strip], validators=[
        DataRequired(_l("请说明查看原因。")),
        Length(min=2, max=200, message=_l("查看原因需 %(min)d–%(max)d 个字。"))])
