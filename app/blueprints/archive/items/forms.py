"""The catalogue's search, filters and sort (GET, no CSRF; the export and the 表5-25 print read
the same), the 作废档号 form and the batch print form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.forms import FilterForm, options, strip
from app.models import Level
from app.models.archive import ArchiveLocation, ArchiveState, PrintFormat
from app.parsing import DayField, IdField, to_id
from app.services.archive.items.lists import SORT_COLUMNS, CatalogueFilters


class CatalogueFilterForm(FilterForm):
    q = StringField(_l("档号、题名、业务编号或客户名称"), filters=[strip])
    kind = StringField()  # a record type (the select's choices come from the registry)
    department = IdField(validators=[Optional()])
    level = SelectField(_l("密级"), default="", choices=options(
        [("", _l("全部密级"))], [(str(value), label) for value, label in Level.choices()]))
    year = IntegerField(_l("年度"), validators=[Optional(), NumberRange(
        1900, 2999, message=_l("年度应在 %(min)s 至 %(max)s 之间。"))])
    state = SelectField(_l("状态"), default="", choices=options(
        [("", _l("全部状态"))], ArchiveState.choices()))
    retention = StringField(filters=[strip], validators=[Optional(), Length(max=8)])
    expiry_from = DayField(_l("到期日期自"), validators=[Optional()])
    expiry_to = DayField(_l("到期日期至"), validators=[Optional()])
    location = SelectField(_l("存放位置"), default="", choices=options(
        [("", _l("全部位置"))], ArchiveLocation.choices()))
    customer_id = IdField(validators=[Optional()])
    sort = SelectField(choices=options((key, key) for key in SORT_COLUMNS), default="created")
    dir = SelectField(choices=options((key, key) for key in ("", "asc", "desc")), default="")
    after = StringField()
    before = StringField()


def filters_of(form: CatalogueFilterForm) -> CatalogueFilters:
    """The filters the form asks for; an invalid value is ignored, never fatal."""
    value = form.checked()
    return CatalogueFilters(
        q=value["q"] or "", kind=(value["kind"] or "")[:40], department=value["department"],
        level=int(value["level"]) if value["level"] else None, year=value["year"],
        state=value["state"] or "", retention=value["retention"] or "",
        expiry_from=value["expiry_from"], expiry_to=value["expiry_to"],
        location=value["location"] or "", customer_id=value["customer_id"],
        sort=value["sort"] or "created", direction=value["dir"] or "",
        after=value["after"] or None, before=value["before"] or None)


class VoidForm(FlaskForm):
    """作废档号: the reason is required (the filing core refuses an empty one too)."""

    reason = TextAreaField(_l("作废原因"), filters=[strip], validators=[
        InputRequired(message=_l("请填写作废原因。")), Length(max=500)])


class IdsField(SelectMultipleField):
    """Repeatable ids (item_ids=1&item_ids=2): anything but an id is left out."""

    def pre_validate(self, form):
        """Any ids may be sent (policy decides which are printed), so no choices to match."""

    def process_formdata(self, valuelist):
        self.data = [number for number in map(to_id, valuelist) if number is not None]


class BatchPrintForm(FlaskForm):
    item_ids = IdsField(_l("档案"))
    format = SelectField(_l("打印方式"), choices=options(PrintFormat.choices()),
                         default=PrintFormat.PDF.value)
