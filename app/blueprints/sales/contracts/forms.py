"""Contract forms: the header fields, product lines and payment terms as rows (added and removed
by posting the form back, see contract_rows.py), and the change request's own fields."""

import re
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.blueprints._picker import picked_id
from app.forms import blank_to_none, options, strip
from app.models import (
    ChangeBasis,
    ChangeInitiator,
    ContractKind,
    Customer,
    DeptCode,
    TemplateSource,
    TermKind,
)
from app.parsing import DayField, to_id
from app.services.core.money import MAX_AMOUNT, line_amount, total
from app.services.sales.contracts.changes import ChangeInfo
from app.services.sales.contracts.data import ContractData, LineData, Problem, TermData

AMOUNT = r"^\d{1,12}(\.\d{1,2})?$"
QUANTITY = r"^\d{1,9}(\.\d{1,3})?$"
_GROUPING = re.compile(r"[,，¥￥\s]")
# A decimal as typed, sign allowed (so that -5 is "must be above zero", not "not a number").
_FIGURE = re.compile(r"[+-]?([0-9]{1,30})(?:\.([0-9]{1,30}))?")
_UNIT = re.compile(r"[（(]")
MAX_QUANTITY = Decimal("999999999.999")


def number(value):
    """A typed number without grouping commas, currency signs or spaces (1,234.50 → 1234.50)."""
    return _GROUPING.sub("", value) if isinstance(value, str) else value


class Figure:
    """A number typed as text, refused with what is wrong with it: not a number (or too many
    decimals), zero or negative (`too_small`), or beyond `maximum` (the limit said)."""

    def __init__(self, invalid, too_small, places: int, maximum: Decimal,
                 positive: bool = False):
        self.invalid, self.too_small, self.places = invalid, too_small, places
        self.maximum, self.positive = maximum, positive

    def __call__(self, form, field):
        match = _FIGURE.fullmatch(field.data or "")
        if match is None or len(match.group(2) or "") > self.places:
            raise ValidationError(self.invalid)
        value = Decimal(field.data)
        if value < 0 or (self.positive and value == 0):
            raise ValidationError(self.too_small)
        if value > self.maximum:
            raise ValidationError(_("%(label)s超过上限 %(max)s。", max=f"{self.maximum:,}",
                                    label=_UNIT.split(str(field.label.text))[0]))


def _decimal(value: str | None, pattern: str) -> Decimal | None:
    return Decimal(value) if value and re.match(pattern, value) else None


class LineForm(FlaskForm):
    class Meta:
        csrf = False

    product = StringField(_l("产品名称"), filters=[strip], validators=[
        InputRequired(_l("请填写产品名称。")), Length(max=100, message=_l("最多 %(max)d 个字。"))])
    spec = StringField(_l("规格型号"), filters=[blank_to_none], validators=[
        Length(max=100, message=_l("最多 %(max)d 个字。"))])
    unit = StringField(_l("单位"), filters=[blank_to_none], validators=[
        Length(max=20, message=_l("最多 %(max)d 个字。"))])
    quantity = StringField(_l("数量"), filters=[number], validators=[
        InputRequired(_l("请填写数量。")),
        Figure(_l("数量须为数字，最多三位小数。"), _l("数量须大于零。"), places=3,
               maximum=MAX_QUANTITY, positive=True)])
    unit_price = StringField(_l("单价（元）"), filters=[number], validators=[
        InputRequired(_l("请填写单价。")),
        Figure(_l("单价须为数字，最多两位小数。"), _l("单价不能为负数。"), places=2,
               maximum=MAX_AMOUNT)])

    def amount(self) -> Decimal | None:
        """金额 as typed so far (None until quantity and price are numbers)."""
        quantity = _decimal(self.quantity.data, QUANTITY)
        price = _decimal(self.unit_price.data, AMOUNT)
        return None if quantity is None or price is None else line_amount(quantity, price)

    def line_data(self) -> LineData:
        """The row's values (call after validation)."""
        return LineData(self.product.data, self.spec.data, self.unit.data,
                        Decimal(self.quantity.data), Decimal(self.unit_price.data))


class TermForm(FlaskForm):
    class Meta:
        csrf = False

    term_id = HiddenField(filters=[to_id])
    kind = SelectField(_l("付款方式"), choices=options(TermKind.choices()))
    amount = StringField(_l("金额（元）"), filters=[number], validators=[
        InputRequired(_l("请填写金额。")),
        Figure(_l("金额须为数字，最多两位小数。"), _l("付款金额须大于零。"), places=2,
               maximum=MAX_AMOUNT, positive=True)])
    due_date = DayField(_l("到期日期"), validators=[InputRequired(_l("请填写到期日期。"))])

    def term_data(self) -> TermData:
        """The row's values (call after validation)."""
        return TermData(TermKind(self.kind.data), Decimal(self.amount.data), self.due_date.data,
                        self.term_id.data)


_PLEASE_CHOOSE = (("", _l("请选择")),)


def picked_customer(value):
    """The chosen customer's id (None: nothing the user may choose was named)."""
    return picked_id(value, Customer)


class ContractForm(FlaskForm):
    name = StringField(_l("合同名称"), filters=[strip], validators=[
        InputRequired(_l("请填写合同名称。")), Length(max=200, message=_l("最多 %(max)d 个字。"))])
    # The picker's id, or the customer's number typed without it (see _picker.picked_id).
    customer_id = StringField(_l("客户（签约单位）"), filters=[picked_customer], validators=[
        InputRequired(_l("请选择客户。"))])
    kind = SelectField(_l("合同种类"), choices=options(ContractKind.choices()), default="sales")
    template_source = SelectField(_l("合同版本"), default="",
                                  choices=options(_PLEASE_CHOOSE, TemplateSource.choices()))
    sign_date = DayField(_l("签订日期"), validators=[InputRequired(_l("请填写签订日期。"))])
    start_date = DayField(_l("合同开始日期"), validators=[Optional()])
    end_date = DayField(_l("合同结束日期"), validators=[Optional()])
    delivery_date = DayField(_l("交货日期"), validators=[Optional()])
    delivery_place = StringField(_l("交货地点"), filters=[blank_to_none], validators=[
        Length(max=200, message=_l("最多 %(max)d 个字。"))])
    acceptance_method = StringField(_l("验收方式"), filters=[blank_to_none], validators=[
        Length(max=200, message=_l("最多 %(max)d 个字。"))])
    quality_requirements = TextAreaField(_l("质量要求"), filters=[blank_to_none], validators=[
        Length(max=2000, message=_l("最多 %(max)d 个字。"))])
    has_penalty = BooleanField(_l("是罚款合同（含违约罚款条款）"))
    penalty_clause = TextAreaField(_l("罚款条款"), filters=[blank_to_none], validators=[
        Length(max=2000, message=_l("最多 %(max)d 个字。"))])
    key_terms = TextAreaField(_l("合同关键条款描述"), filters=[blank_to_none], validators=[
        Length(max=4000, message=_l("最多 %(max)d 个字。"))])
    sample_sealed = BooleanField(_l("样品已封存"))
    copies = IntegerField(_l("合同份数（一式几份）"), validators=[
        Optional(), NumberRange(1, 99, message=_l("份数须在 %(min)s–%(max)s 之间。"))])
    pages_per_copy = IntegerField(_l("每份页数"), validators=[
        Optional(), NumberRange(1, 9999, message=_l("页数须在 %(min)s–%(max)s 之间。"))])
    remarks = TextAreaField(_l("备注"), filters=[blank_to_none], validators=[
        Length(max=2000, message=_l("最多 %(max)d 个字。"))])
    confidentiality = SelectField(_l("密级"), coerce=int)
    lines = FieldList(FormField(LineForm))
    terms = FieldList(FormField(TermForm))
    version = HiddenField()

    def __init__(self, *args, customers, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.customers = {c.id: c for c in customers}
        self.confidentiality.choices = options((int(lvl), lvl.label) for lvl in levels)
        self.line_errors: list[str] = []
        self.term_errors: list[str] = []

    @property
    def customer(self):
        """The chosen customer, if it is one the user may choose."""
        return self.customers.get(to_id(self.customer_id.data))

    def validate_customer_id(self, field):
        if self.customer is None:  # not one of the choices: someone else's, or not an id
            raise ValidationError(_l("请选择客户。"))

    def preview(self) -> tuple[Decimal, Decimal]:
        """(合同金额, 付款条款合计) of the rows typed so far, for the form's running totals."""
        amounts = [entry.form.amount() for entry in self.lines]
        terms = [_decimal(entry.form.amount.data, AMOUNT) for entry in self.terms]
        return (total(a for a in amounts if a is not None),
                total(t for t in terms if t is not None))

    def contract_data(self) -> ContractData:
        """The validated form as the service takes it."""
        return ContractData(
            name=self.name.data, customer_id=to_id(self.customer_id.data),
            kind=ContractKind(self.kind.data),
            template_source=TemplateSource(self.template_source.data)
            if self.template_source.data else None,
            sign_date=self.sign_date.data, start_date=self.start_date.data,
            end_date=self.end_date.data, delivery_date=self.delivery_date.data,
            delivery_place=self.delivery_place.data,
            acceptance_method=self.acceptance_method.data,
            quality_requirements=self.quality_requirements.data,
            has_penalty=self.has_penalty.data, penalty_clause=self.penalty_clause.data,
            key_terms=self.key_terms.data, sample_sealed=self.sample_sealed.data,
            copies=self.copies.data, pages_per_copy=self.pages_per_copy.data,
            remarks=self.remarks.data, confidentiality=self.confidentiality.data,
            lines=[entry.form.line_data() for entry in self.lines],
            terms=[entry.form.term_data() for entry in self.terms])

    def show(self, problems: list[Problem]) -> None:
        """Puts the service's refusals next to the fields and rows they concern."""
        for problem in problems:
            if problem.group and problem.row is not None:
                entries = self.lines if problem.group == "lines" else self.terms
                target = entries.entries[problem.row].form[problem.field]
                target.errors = [*target.errors, problem.message]
            elif problem.group:
                (self.line_errors if problem.group == "lines" else self.term_errors).append(
                    problem.message)
            elif problem.field and problem.field in self:
                self[problem.field].errors = [*self[problem.field].errors, problem.message]
            else:
                self.form_errors.append(problem.message)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ChangeForm(ContractForm):
    """表5-15: the contract as it should become, plus what changes, who asked, on what basis and
    whom to notify."""

    change_content = TextAreaField(_l("合同变更内容"), filters=[strip], validators=[
        InputRequired(_l("请填写合同变更内容。")),
        Length(max=2000, message=_l("最多 %(max)d 个字。"))])
    initiated_by = RadioField(_l("提出更改单位"), choices=options(ChangeInitiator.choices()),
                              default="customer")
    basis = MultiCheckboxField(_l("变更依据"), choices=options(ChangeBasis.choices()), validators=[
        InputRequired(_l("请至少选择一项变更依据。"))])
    basis_other = StringField(_l("其他依据"), filters=[blank_to_none], validators=[
        Length(max=100, message=_l("最多 %(max)d 个字。"))])
    notify = MultiCheckboxField(_l("通知相关部门"))
    change_remarks = TextAreaField(_l("备注"), filters=[blank_to_none], validators=[
        Length(max=2000, message=_l("最多 %(max)d 个字。"))])

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.notify.choices = options((d.code.value, d.label) for d in departments)

    def change_info(self) -> ChangeInfo:
        """The 申请单's own fields as the service takes them."""
        return ChangeInfo(content=self.change_content.data,
                          initiated_by=ChangeInitiator(self.initiated_by.data),
                          basis=[ChangeBasis(code) for code in self.basis.data],
                          basis_other=self.basis_other.data,
                          notify=[DeptCode(code) for code in self.notify.data],
                          remarks=self.change_remarks.data)
