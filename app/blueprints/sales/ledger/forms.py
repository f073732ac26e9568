"""Forms of the sales ledger, payments, receivables, statistics and results pages."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.blueprints._picker import picked_id
from app.forms import FilterForm, blank_to_none, options, strip
from app.models import Contract, EntryKind
from app.models.sales.ledger import PaymentMethod
from app.parsing import DayField, IdField, to_id
from app.services.core.money import MAX_AMOUNT


class MonthField(DateField):
    """A month typed as 年-月 (an <input type=month>): the month's first day."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%Y-%m", **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("请按 年-月 填写月份，如 2026-03。")) from error


_UNIT = re.compile(r"[（(]")


def short_label(label) -> str:
    """A field's label without its unit, as messages name it: 单价（元） → 单价."""
    return _UNIT.split(str(label))[0].strip()


def amount_over_limit() -> str:
    """A line's 金额 (数量 × 单价) beyond what an amount may be, the limit said."""
    return _("金额（数量 × 单价）超过上限 %(max)s 元。", max=f"{MAX_AMOUNT:,}")


class AmountField(StringField):
    """An exact decimal typed as text ('1,234.50', '¥1234.5'); never a float."""

    def __init__(self, label=None, validators=None, places: int = 2, minimum: Decimal = Decimal(0),
                 above_minimum: bool = False, maximum: Decimal = Decimal("999999999999.99"),
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.places, self.minimum, self.maximum = places, minimum, maximum
        self.above_minimum = above_minimum

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "") or ""
        self.raw = text
        text = text.strip().replace(",", "").replace("，", "").lstrip("¥￥").strip()
        self.data = None
        if not text:
            return
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(_l("请填写数字，如 1234.50。")) from error
        if not value.is_finite():
            raise ValueError(_l("请填写数字，如 1234.50。"))
        self.data = value

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:f}"

    def pre_validate(self, form):
        """Refuses the value naming the field and the rule it breaks (数量须大于零, 单价不能为负数,
        单价超过上限 999,999,999,999.99)."""
        value = self.data
        if value is None:
            return
        label = short_label(self.label.text)
        too_small = value <= self.minimum if self.above_minimum else value < self.minimum
        if too_small:
            raise ValidationError(_("%(label)s须大于零。", label=label) if self.above_minimum
                                  else _("%(label)s不能为负数。", label=label))
        if value > self.maximum:
            raise ValidationError(_("%(label)s超过上限 %(max)s。", label=label,
                                    max=f"{self.maximum:,}"))
        # Only now, within the maximum: rounding more digits than the decimal context holds
        # would raise InvalidOperation.
        if value.as_tuple().exponent < -self.places and value != round(value, self.places):
            raise ValidationError(_("%(label)s最多保留 %(n)d 位小数。", label=label,
                                    n=self.places))


def _picked_contract(value):
    """The picker's id, or the contract's number typed without it (see _picker.picked_id)."""
    return picked_id(value, Contract)


class EntryForm(FlaskForm):
    """A row of 年度产品销售台账 (表5-12)."""

    entry_date = DayField(_l("日期"), validators=[InputRequired(_l("请填写日期。"))])
    kind = SelectField(_l("类别"), choices=options(EntryKind.choices()), default="sale")
    contract_id = SelectField(_l("合同"), coerce=_picked_contract, validate_choice=False,
                              validators=[InputRequired(_l("请选择合同。"))])
    contact_name = StringField(_l("联系方式"), filters=[blank_to_none], validators=[
        Length(max=50, message=_l("联系方式不能超过 %(max)d 个字。"))])
    product = StringField(_l("产品名称"), filters=[strip], validators=[
        InputRequired(_l("请填写产品名称。")),
        Length(max=100, message=_l("产品名称不能超过 %(max)d 个字。"))])
    spec = StringField(_l("规格型号"), filters=[blank_to_none], validators=[
        Length(max=100, message=_l("规格型号不能超过 %(max)d 个字。"))])
    quantity = AmountField(_l("数量"), places=3, above_minimum=True,
                           maximum=Decimal("999999999.999"),
                           validators=[InputRequired(_l("请填写数量。"))])
    unit_price = AmountField(_l("单价（元）"), validators=[InputRequired(_l("请填写单价。"))])
    cost = AmountField(_l("成本（元）"), validators=[Optional()])
    invoice_no = StringField(_l("发票号码"), filters=[blank_to_none], validators=[
        Length(max=50, message=_l("发票号码不能超过 %(max)d 个字。"))])
    remarks = TextAreaField(_l("备注"), filters=[blank_to_none], validators=[
        Length(max=1000, message=_l("备注不能超过 %(max)d 个字。"))])
    # "仍然登记": the user confirms a date before the contract's signing.
    confirm_early = BooleanField(_l("仍然登记"))

    def validate_entry_date(self, field):
        if field.data and field.data.year < 2000:
            raise ValidationError(_l("日期不能早于 2000 年。"))

    def validate_unit_price(self, field):
        quantity = self.quantity.data if not self.quantity.errors else None
        if quantity is not None and field.data is not None \
                and quantity * field.data > MAX_AMOUNT:
            raise ValidationError(amount_over_limit())


class PaymentForm(FlaskForm):
    """A payment received (回款) against one of the contract's terms."""

    term = SelectField(_l("付款条款"), coerce=to_id, validate_choice=False,
                       validators=[InputRequired(_l("请选择付款条款。"))])
    paid_on = DayField(_l("回款日期"), validators=[InputRequired(_l("请填写回款日期。"))])
    amount = AmountField(_l("回款金额（元）"), above_minimum=True,
                         validators=[InputRequired(_l("请填写回款金额。"))])
    method = SelectField(_l("付款方式"), choices=options(PaymentMethod.choices()),
                         default=PaymentMethod.BANK_TRANSFER.value)
    reference = StringField(_l("凭证/流水号"), filters=[blank_to_none], validators=[
        Length(max=50, message=_l("凭证号不能超过 %(max)d 个字。"))])
    note = TextAreaField(_l("备注"), filters=[blank_to_none], validators=[
        Length(max=1000, message=_l("备注不能超过 %(max)d 个字。"))])
    confirm_early = BooleanField(_l("仍然登记"))

    def __init__(self, *args, terms: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.term.choices = options([("", _l("请选择"))], terms)


class EntryDetailsForm(FlaskForm):
    """What may still change on a recorded ledger row (amounts are corrected by reversal)."""

    contact_name = EntryForm.contact_name
    spec = EntryForm.spec
    invoice_no = EntryForm.invoice_no
    remarks = EntryForm.remarks
    stamp = HiddenField()


class ReverseForm(FlaskForm):
    """红冲: the reason is required (blank or spaces only is empty)."""

    reason = TextAreaField(_l("红冲原因"), filters=[strip], validators=[
        InputRequired(_l("请填写红冲原因。")),
        Length(max=500, message=_l("红冲原因不能超过 %(max)d 个字。"))])


class LedgerFilterForm(FilterForm):
    q = StringField(_l("搜索"), filters=[strip])
    date_from = DayField(_l("起始日期"), validators=[Optional()])
    date_to = DayField(_l("截止日期"), validators=[Optional()])
    kind = SelectField(_l("类别"), choices=options([("", _l("全部类别"))], EntryKind.choices()),
                       default="")
    owner = IdField(_l("业务员"), validators=[Optional()])
    customer = IdField(validators=[Optional()])
    contract = IdField(validators=[Optional()])
    dir = SelectField(choices=options((k, k) for k in ("", "asc", "desc")), default="")
    after = StringField()
    before = StringField()


class PeriodForm(FilterForm):
    """A period: 起始日期 to 截止日期, both valid dates, in order, at most ten years."""

    date_from = DayField(_l("起始日期"), validators=[Optional()])
    date_to = DayField(_l("截止日期"), validators=[Optional()])
    owner = IdField(_l("销售人员"), validators=[Optional()])
    after = StringField()
    before = StringField()

    def validate_date_to(self, field):
        start, end = self.date_from.data, field.data
        if start and end and end < start:
            raise ValidationError(_l("截止日期不能早于起始日期。"))
        if start and end and (end - start).days > 3660:
            raise ValidationError(_l("统计期间不能超过十年。"))

    def period(self, default_from: date, default_to: date) -> tuple[date, date]:
        """The period asked for, the defaults filling what is left blank (and shown); call after
        validate(). A blank end before the start asked for is an error too; an invalid
        salesperson filter is ignored."""
        if self.owner.errors:
            self.owner.data, self.owner.errors = None, []
        if not self.date_from.errors:
            self.date_from.data = self.date_from.data or default_from
        if not self.date_to.errors:
            self.date_to.data = self.date_to.data or default_to
        start, end = self.date_from.data or default_from, self.date_to.data or default_to
        if end < start and not self.date_to.errors:
            self.date_to.errors = [*self.date_to.errors, _l("截止日期不能早于起始日期。")]
        return start, end


class ResultsForm(PeriodForm):
    """月份销售实绩 for a month; 重点客户 for a period."""

    month = MonthField(_l("月份"), validators=[Optional()])

    def validate_month(self, field):
        if field.data and not 2000 <= field.data.year <= datetime.now().year + 1:
            raise ValidationError(_l("请选择 2000 年以后的月份。"))


class ReceivablesForm(FilterForm):
    view = SelectField(choices=options([("customer", _l("按客户")),
                                        ("salesperson", _l("按销售人员"))]), default="customer")
    customer = IdField(validators=[Optional()])
    owner = IdField(validators=[Optional()])
    after = StringField()
    before = StringField()
