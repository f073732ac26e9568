"""Sign-in and password forms (login field names are a stable contract)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from app.forms import LANGUAGES, options, strip


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), filters=[strip], validators=[
        InputRequired(_l("请输入用户名。")), Length(max=50)])
    password = PasswordField(_l("密码"), validators=[InputRequired(_l("请输入密码。"))])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("当前密码"), validators=[
        InputRequired(_l("请输入当前密码。"))])
    new_password = PasswordField(_l("新密码"), validators=[InputRequired(_l("请输入新密码。"))])
    confirm = PasswordField(_l("确认新密码"), validators=[
        InputRequired(_l("请再次输入新密码。")),
        EqualTo("new_password", _l("两次输入的新密码不一致。"))])


class LocaleForm(FlaskForm):
    locale = SelectField(choices=options(LANGUAGES))
