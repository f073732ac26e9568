"""Service record forms: the register/edit form with its parts rows (added and removed by
posting the form back, see rows.py), and the record page's action forms."""

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.blueprints._picker import picked_id
from app.forms import blank_to_none, options, strip
from app.models import Customer
from app.models.service.records import (
    AfterSalesKind,
    ConfirmationMethod,
    NeedTag,
    Priority,
    ServiceStatus,
    ServiceType,
)
from app.parsing import MomentField, to_id
from app.policy import Action
from app.services.core.money import line_amount
from app.services.service.records.data import PartData, RecordData

MOMENT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
_GROUPING = re.compile(r"[,，¥￥\s]")
_FIGURE = re.compile(r"[+-]?[0-9]{1,15}(?:\.([0-9]{1,3}))?")
_PLEASE = (("", _l("请选择")),)


def number(value):
    """A typed number without grouping commas, currency signs or spaces."""
    return _GROUPING.sub("", value) if isinstance(value, str) else value


def _figure(value: str | None, places: int) -> Decimal | None:
    match = _FIGURE.fullmatch(value or "")
    if match is None or len(match.group(1) or "") > places:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _length(most: int):
    return Length(max=most, message=_l("最多 %(max)d 个字。"))


class PartForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField(_l("配件名称"), filters=[strip], validators=[
        InputRequired(_l("请填写配件名称。")), _length(100)])
    spec = StringField(_l("规格型号"), filters=[blank_to_none], validators=[_length(100)])
    quantity = StringField(_l("数量"), filters=[number],
                           validators=[InputRequired(_l("请填写数量。"))])
    sold = BooleanField(_l("销售给客户"))
    unit_price = StringField(_l("单价（元）"), filters=[number], default="0",
                             validators=[InputRequired(_l("请填写单价。"))])

    def validate_quantity(self, field):
        value = _figure(field.data, 3)
        if value is None:
            raise ValidationError(_l("数量须为数字，最多三位小数。"))
        if value <= 0:
            raise ValidationError(_l("数量须大于零。"))

    def validate_unit_price(self, field):
        value = _figure(field.data, 2)
        if value is None:
            raise ValidationError(_l("单价须为数字，最多两位小数。"))
        if value < 0:
            raise ValidationError(_l("单价不能为负数。"))

    def amount(self) -> Decimal | None:
        """金额 as typed so far (None until quantity and price are numbers)."""
        quantity, price = _figure(self.quantity.data, 3), _figure(self.unit_price.data, 2)
        return None if quantity is None or price is None else line_amount(quantity, price)

    def part_data(self) -> PartData:
        return PartData(self.name.data, self.spec.data, Decimal(self.quantity.data),
                        bool(self.sold.data), Decimal(self.unit_price.data))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def picked_card(value):
    """The chosen customer's id: any customer whose card the user may see (首问负责制)."""
    return picked_id(value, Customer, Action.VIEW_CARD)


class RecordForm(FlaskForm):
    customer_id = StringField(_l("客户"), filters=[picked_card])
    customer_number = StringField(_l("客户编号"), filters=[strip])
    service_type = SelectField(_l("服务类型"), choices=options(ServiceType.choices()),
                               default="presales")
    after_sales_kind = SelectField(_l("售后服务类别"), default="",
                                   choices=options(_PLEASE, AfterSalesKind.choices()))
    priority = SelectField(_l("优先级"), choices=options(Priority.choices()), default="medium")
    tags = MultiCheckboxField(_l("客户需求标签"), choices=options(NeedTag.choices()))
    service_at = MomentField(_l("服务时间"), format=MOMENT, validators=[Optional()])
    communicated_at = MomentField(_l("沟通时间"), format=MOMENT, validators=[Optional()])
    content = TextAreaField(_l("服务内容"), filters=[strip], validators=[
        InputRequired(_l("请填写服务内容。")), _length(4000)])
    request_text = TextAreaField(_l("客户需求描述"), filters=[blank_to_none],
                                 validators=[_length(4000)])
    customer_contact = StringField(_l("对接人"), filters=[blank_to_none], validators=[_length(50)])
    contact_phone = StringField(_l("联系电话"), filters=[blank_to_none], validators=[_length(20)])
    expected_at = MomentField(_l("客户期望解决时间"), format=MOMENT, validators=[Optional()])
    place = StringField(_l("服务地点"), filters=[blank_to_none], validators=[_length(200)])
    delivery_address = StringField(_l("收货地址"), filters=[blank_to_none],
                                   validators=[_length(200)])
    major = BooleanField(_l("重大事项（立即报告总经理）"))
    contract_number = StringField(_l("关联合同编号"), filters=[blank_to_none],
                                  validators=[_length(40)])
    rework_of = StringField(_l("返工的原服务编号"), filters=[blank_to_none],
                            validators=[_length(40)])
    solution = TextAreaField(_l("解决方案"), filters=[blank_to_none], validators=[_length(4000)])
    result = TextAreaField(_l("服务结果"), filters=[blank_to_none], validators=[_length(4000)])
    feedback = TextAreaField(_l("客户反馈"), filters=[blank_to_none], validators=[_length(4000)])
    remarks = TextAreaField(_l("备注"), filters=[blank_to_none], validators=[_length(2000)])
    collaborator_ids = MultiCheckboxField(_l("协办人"), coerce=int)
    parts = FieldList(FormField(PartForm))
    version = HiddenField()
    reason = StringField(_l("修改原因"), filters=[blank_to_none], validators=[_length(500)])

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.collaborator_ids.choices = options(handlers)

    def validate_after_sales_kind(self, field):
        if self.service_type.data == "aftersales" and not field.data:
            raise ValidationError(_l("售后维护须选择售后服务类别。"))
        if self.service_type.data != "aftersales" and field.data:
            raise ValidationError(_l("只有售后维护才填写售后服务类别。"))

    def parts_total(self) -> Decimal:
        amounts = [entry.form.amount() for entry in self.parts]
        return sum((a for a in amounts if a is not None), Decimal("0.00"))

    def record_data(self, customer_id: int | None) -> RecordData:
        """The validated form as the service takes it."""
        return RecordData(
            customer_id=customer_id, service_type=ServiceType(self.service_type.data),
            content=self.content.data, priority=Priority(self.priority.data),
            after_sales_kind=AfterSalesKind(self.after_sales_kind.data)
            if self.after_sales_kind.data else None,
            tags=[NeedTag(code) for code in self.tags.data or []],
            service_at=self.service_at.data, communicated_at=self.communicated_at.data,
            request_text=self.request_text.data, customer_contact=self.customer_contact.data,
            contact_phone=self.contact_phone.data, expected_at=self.expected_at.data,
            place=self.place.data, delivery_address=self.delivery_address.data,
            major=bool(self.major.data), contract_number=self.contract_number.data,
            rework_of=self.rework_of.data, solution=self.solution.data, result=self.result.data,
            feedback=self.feedback.data, remarks=self.remarks.data,
            collaborator_ids=list(self.collaborator_ids.data or []),
            parts=[entry.form.part_data() for entry in self.parts])


class StatusForm(FlaskForm):
    to = SelectField(_l("改为"), choices=options(ServiceStatus.choices()))
    reason = StringField(_l("原因"), filters=[blank_to_none], validators=[_length(500)])


class HandlerForm(FlaskForm):
    handler_id = StringField(_l("负责人"), filters=[to_id], validators=[
        InputRequired(_l("请选择负责人。"))])
    reason = StringField(_l("原因"), filters=[blank_to_none], validators=[_length(500)])


class ConfirmationForm(FlaskForm):
    satisfaction = IntegerField(_l("满意度评分"), validators=[
        InputRequired(_l("请填写满意度评分。")),
        NumberRange(1, 5, message=_l("满意度评分须在 1–5 分之间。"))])
    method = SelectField(_l("确认方式"), choices=options(ConfirmationMethod.choices()))
    # Optional: the stable interface posts satisfaction, method and time only; the record's
    # 对接人 (else the customer's contact) is then who confirmed.
    confirmed_by = StringField(_l("客户确认人"), filters=[strip], validators=[_length(50)])
    confirmed_at = MomentField(_l("确认时间"), format=MOMENT, validators=[Optional()])
    feedback = TextAreaField(_l("客户反馈"), filters=[blank_to_none], validators=[_length(4000)])
