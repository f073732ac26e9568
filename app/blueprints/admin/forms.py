"""User administration forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from app.forms import LANGUAGES, options, strip
from app.models import Level, Role
from app.services.core.users import EMPLOYEE_NO, USERNAME


class UserForm(FlaskForm):
    username = StringField(_l("用户名"), filters=[strip], validators=[
        InputRequired(_l("请填写用户名。")),
        Regexp(USERNAME,
               message=_l("用户名以字母开头，只能包含字母、数字、点、下划线和连字符"
                          "（2–50 位）。"))])
    full_name = StringField(_l("姓名"), filters=[strip], validators=[
        InputRequired(_l("请填写姓名。")), Length(max=50)])
    employee_no = StringField(_l("工号"), filters=[strip], validators=[
        InputRequired(_l("请填写工号。")),
        Regexp(EMPLOYEE_NO, message=_l("工号只能包含字母、数字和连字符。"))])
    department = SelectField(_l("部门"), coerce=int)
    role = SelectField(_l("角色"), choices=options(Role.choices()))
    clearance = SelectField(_l("涉密级别"), coerce=int, choices=options(Level.choices()),
                            default=int(Level.INTERNAL))
    locale = SelectField(_l("界面语言"), choices=options(LANGUAGES))
    temporary_password = PasswordField(_l("临时密码"), validators=[Optional()])

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.department.choices = options((d.id, d.label) for d in departments)


class ResetPasswordForm(FlaskForm):
    temporary_password = PasswordField(_l("临时密码"), validators=[
        InputRequired(_l("请填写临时密码。"))])


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("搜索"), filters=[strip])
    after = StringField()
    before = StringField()
