"""The loans' forms: the request (items by id from the catalogue or by 档号 as typed), the
renewal, the return with its completeness check, and the list's filters."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.forms import FilterForm, options, strip
from app.models.archive import LoanMethod, LoanStatus, ReturnCondition
from app.models.archive.loans import DEFAULT_DAYS, MAX_DAYS
from app.parsing import to_id
from app.services.archive.loans.lists import OVERDUE, RUNNING
from app.services.archive.loans.requests import LoanData

# 档号 are typed one per line, or separated by commas, semicolons or spaces.
_NUMBER_SEPARATORS = re.compile(r"[\s,，;；、]+")


class ItemIdsField(Field):
    """The repeated `item_id` of a request opened from the catalogue: every value an id."""

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.data = []
        values = formdata.getlist(self.name) if formdata is not None else []
        self.raw_data = values
        ids = [to_id(value) for value in values if value.strip()]
        if None in ids:
            self.process_errors.append(_l("请从档案目录选择档案。"))
        else:
            self.data = list(dict.fromkeys(ids))


class LoanForm(FlaskForm):
    item_id = ItemIdsField()
    numbers = TextAreaField(_l("档号"), filters=[strip], validators=[
        Length(max=2000, message=_l("最多 %(max)d 个字。"))])
    method = RadioField(_l("借阅方式"), choices=options(LoanMethod.choices()),
                        default=LoanMethod.ONLINE.value,
                        validators=[InputRequired(_l("请选择借阅方式。"))])
    purpose = TextAreaField(_l("借阅用途"), filters=[strip], validators=[
        InputRequired(_l("请说明借阅用途（至少 2 个字）。")),
        Length(min=2, max=200, message=_l("借阅用途需 %(min)d–%(max)d 个字。"))])
    days = IntegerField(_l("借阅天数"), default=DEFAULT_DAYS, validators=[
        InputRequired(_l("请填写借阅天数。")),
        NumberRange(1, MAX_DAYS, message=_l("借阅期限须为 %(min)s–%(max)s 天。"))])

    def typed_numbers(self) -> list[str]:
        return [n for n in _NUMBER_SEPARATORS.split(self.numbers.data or "") if n]

    def data_of(self) -> LoanData:
        return LoanData(LoanMethod(self.method.data), self.purpose.data, self.days.data,
                        self.item_id.data, self.typed_numbers())


class RenewForm(FlaskForm):
    days = IntegerField(_l("续借天数"), validators=[InputRequired(_l("请填写续借天数。"))])


class ReturnForm(FlaskForm):
    condition = RadioField(_l("完整性检查"), choices=options(ReturnCondition.choices()),
                           validators=[InputRequired(_l("请选择归还时的完整性检查结果。"))])
    note = TextAreaField(_l("缺损说明"), filters=[strip], validators=[
        Optional(), Length(max=2000, message=_l("最多 %(max)d 个字。"))])


class LoanFilterForm(FilterForm):
    q = StringField(_l("搜索"), filters=[strip])
    status = SelectField(choices=options(
        [("", _l("全部状态")), (RUNNING, _l("借阅中")), (OVERDUE, _l("逾期未还"))],
        LoanStatus.choices()), default="")
    method = SelectField(choices=options([("", _l("全部方式"))], LoanMethod.choices()),
                         default="")
    after = StringField()
    before = StringField()
