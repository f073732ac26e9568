"""Customer forms: field names are a stable contract (see the README)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from app.forms import FilterForm, blank_to_none, options, strip
from app.models import CustomerKind, CustomerType, Grade, Industry, Level, Source
from app.parsing import DayField, IdField, to_whole
from app.services.core.validation import id_number_problem, is_valid_phone, normalize_phone
from app.services.customers.lists import SORT_COLUMNS, STATUS_FILTERS
from app.timeutil import local_today

_PLEASE_CHOOSE = [("", _l("请选择"))]
_ID_PROBLEMS = {
    "format": _l("身份证号应为 18 位，最后一位可以是数字或 X。"),
    "birthdate": _l("身份证号中的出生日期无效。"),
    "checksum": _l("身份证号校验位不正确，请核对。"),
}


class CustomerForm(FlaskForm):
    name = StringField(_l("客户名称"), filters=[strip], validators=[
        InputRequired(_l("请填写客户名称（单位全称或个人姓名）。")),
        Length(max=100, message=_l("客户名称不能超过 %(max)d 个字。"))])
    kind = SelectField(_l("客户性质"), choices=options(CustomerKind.choices()), default="unit")
    contact_name = StringField(_l("联系人"), filters=[strip], validators=[
        InputRequired(_l("请填写联系人姓名。")),
        Length(max=50, message=_l("联系人不能超过 %(max)d 个字。"))])
    phone = StringField(_l("联系电话"), filters=[blank_to_none])
    email = StringField(_l("电子邮箱"), filters=[blank_to_none], validators=[
        Optional(), Email(_l("电子邮箱格式不正确。"), check_deliverability=False),
        Length(max=120)])
    address = StringField(_l("地址"), filters=[blank_to_none], validators=[
        Length(max=200, message=_l("地址不能超过 %(max)d 个字。"))])
    industry = SelectField(_l("所属行业"), choices=options(_PLEASE_CHOOSE, Industry.choices()),
                           validators=[InputRequired(_l("请选择所属行业。"))])
    type = SelectField(_l("客户类型"), choices=options(CustomerType.choices()),
                       default="potential")
    grade = SelectField(_l("客户等级"), choices=options(Grade.choices()), default="B")
    source = SelectField(_l("客户来源"), choices=options(_PLEASE_CHOOSE, Source.choices()),
                         default="")
    first_contact_date = DayField(_l("首次接触时间"), validators=[Optional()])
    confidentiality = SelectField(_l("密级"), coerce=int, default=int(Level.INTERNAL),
                                  validate_choice=False)
    id_number = StringField(_l("身份证号"), filters=[blank_to_none])
    remarks = TextAreaField(_l("备注"), filters=[blank_to_none], validators=[
        Length(max=2000, message=_l("备注不能超过 %(max)d 个字。"))])
    owner = SelectField(_l("负责人"), coerce=int)
    version = HiddenField()
    change_reason = TextAreaField(_l("变更原因"), filters=[blank_to_none], validators=[
        Length(max=500, message=_l("变更原因不能超过 %(max)d 个字。"))])
    confirm_same_phone = BooleanField(_l("已核实：该电话确属本客户，仍然登记"))

    def __init__(self, *args, clearance: Level, owners: list, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.clearance = clearance
        self.phone.flags.required = not editing
        # Nobody can file a record above their own clearance: it would vanish for them.
        self.confidentiality.choices = options(
            (lvl.value, lvl.label) for lvl in Level if lvl <= clearance)
        self.owner.choices = options((u.id, f"{u.full_name}（{u.department.label}）")
                                     for u in owners)

    def validate_phone(self, field):
        if not field.data:
            if not self.editing:
                raise ValidationError(_l("请填写联系电话。"))
            return
        field.data = normalize_phone(field.data)
        if not is_valid_phone(field.data):
            raise ValidationError(
                _l("请输入有效的手机号（11 位）或带区号的座机号（如 010-12345678）。"))

    def validate_id_number(self, field):
        if not field.data:
            return
        field.data = field.data.upper()
        if self.kind.data != CustomerKind.PERSON.value:
            raise ValidationError(_l("单位客户无需填写身份证号。"))
        problem = id_number_problem(field.data)
        if problem:
            raise ValidationError(_ID_PROBLEMS[problem])

    def validate_confidentiality(self, field):
        if field.data not in {lvl.value for lvl in Level} or field.data > self.clearance:
            raise ValidationError(_l("密级不能高于您本人的涉密级别。"))

    def validate_first_contact_date(self, field):
        if field.data and field.data > local_today():
            raise ValidationError(_l("首次接触时间不能晚于今天。"))


def _level(value) -> int | None:
    """A 密级 as chosen in the filter (a choice's own value is already one); blank, or not a
    level, as None."""
    return value if isinstance(value, int) else to_whole(value, min(Level), max(Level))


class CustomerFilterForm(FilterForm):
    """The list's search, filters and sort; the export reads the same."""

    q = StringField(_l("搜索"), filters=[strip])
    view = SelectField(choices=options([("mine", _l("我的范围")), ("directory", _l("全公司名录"))]),
                       default="mine")
    status = SelectField(_l("状态"), choices=options(
        [("", _l("全部状态"))], ((key, s.label) for key, s in STATUS_FILTERS.items())))
    type = SelectField(_l("客户类型"), choices=options([("", _l("全部类型"))],
                                                         CustomerType.choices()))
    grade = SelectField(_l("客户等级"), choices=options([("", _l("全部等级"))], Grade.choices()))
    industry = SelectField(_l("所属行业"), choices=options([("", _l("全部行业"))],
                                                             Industry.choices()))
    owner = IdField(_l("负责人"), validators=[Optional()])
    # Any level may be asked for: one above the user's clearance simply matches nothing.
    level = SelectField(_l("密级"), choices=options([("", _l("全部密级"))], Level.choices()),
                        coerce=_level)
    sort = SelectField(choices=options((key, key) for key in SORT_COLUMNS), default="created")
    dir = SelectField(choices=options((key, key) for key in ("", "asc", "desc")), default="")
    after = StringField()
    before = StringField()


class RevealForm(FlaskForm):
    field = SelectField(choices=options([("phone", _l("联系电话")), ("id_number", _l("身份证号"))]))
    reason = StringField(_l("查看原因"), filters=[strip], validators=[
        InputRequired(_l("请说明查看原因。")),
        Length(min=2, max=200, message=_l("查看原因需 %(min)d–%(max)d 个字。"))])
