"""The signing form: field names password, comment, csrf_token are a stable contract."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.forms import blank_to_none


class SignForm(FlaskForm):
    password = PasswordField(_l("登录密码"), validators=[
        InputRequired(_l("签字须重新输入您的登录密码。"))])
    comment = TextAreaField(_l("审批意见"), filters=[blank_to_none], validators=[
        Length(max=1000, message=_l("审批意见不能超过 %(max)d 个字。"))])


class BatchSignForm(FlaskForm):
    """批量同意: one password for every ticked item (`request_id`, each with its `shown`
    receipt, are read as lists beside the form)."""

    password = PasswordField(_l("登录密码"), validators=[
        InputRequired(_l("签字须重新输入您的登录密码。"))])
    comment = TextAreaField(_l("审批意见"), filters=[blank_to_none], validators=[
        Length(max=1000, message=_l("审批意见不能超过 %(max)d 个字。"))])
