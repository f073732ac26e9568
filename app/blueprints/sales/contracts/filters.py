"""The contract list's search, filters and sort (GET, no CSRF); the export reads the same."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from app.forms import FilterForm, options, strip
from app.models import ContractKind, ContractStatus
from app.parsing import DayField, IdField
from app.services.sales.contracts.lists import SORT_COLUMNS, ContractFilters


class ContractFilterForm(FilterForm):
    q = StringField(_l("合同编号或名称"), filters=[strip])
    customer = StringField(_l("客户"), filters=[strip])
    customer_id = IdField(validators=[Optional()])
    status = SelectField(_l("状态"), choices=options([("", _l("全部状态"))],
                                                     ContractStatus.choices()), default="")
    kind = SelectField(_l("合同种类"), choices=options([("", _l("全部种类"))],
                                                       ContractKind.choices()), default="")
    owner = IdField(_l("负责人"), validators=[Optional()])
    sign_from = DayField(_l("签订日期从"), validators=[Optional()])
    sign_to = DayField(_l("签订日期至"), validators=[Optional()])
    sort = SelectField(choices=options((key, key) for key in SORT_COLUMNS), default="created")
    dir = SelectField(choices=options((key, key) for key in ("", "asc", "desc")), default="")
    after = StringField()
    before = StringField()


def filters_of(form: ContractFilterForm) -> ContractFilters:
    """The filters the form asks for; an invalid value is ignored, never fatal."""
    value = form.checked()
    return ContractFilters(
        q=value["q"] or "", customer=value["customer"] or "", customer_id=value["customer_id"],
        status=value["status"] or "", kind=value["kind"] or "", owner=value["owner"],
        sign_from=value["sign_from"], sign_to=value["sign_to"], sort=value["sort"] or "created",
        direction=value["dir"] or "", after=value["after"] or None,
        before=value["before"] or None)
