"""The contract list's search, filters and sort (GET, no CSRF); the export reads the same."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import Optional

from app.forms import options, strip
from app.models import ContractKind, ContractStatus
from app.services.sales.contracts.lists import SORT_COLUMNS, ContractFilters


class ContractFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("合同编号或名称"), filters=[strip])
    customer = StringField(_l("客户"), filters=[strip])
    customer_id = IntegerField(validators=[Optional()])
    status = SelectField(_l("状态"), choices=options([("", _l("全部状态"))],
                                                     ContractStatus.choices()), default="")
    kind = SelectField(_l("合同种类"), choices=options([("", _l("全部种类"))],
                                                       ContractKind.choices()), default="")
    owner = IntegerField(_l("负责人"), validators=[Optional()])
    sign_from = DateField(_l("签订日期从"), format="%Y-%m-%d", validators=[Optional()])
    sign_to = DateField(_l("签订日期至"), format="%Y-%m-%d", validators=[Optional()])
    sort = SelectField(choices=options((key, key) for key in SORT_COLUMNS), default="created")
    dir = SelectField(choices=options((key, key) for key in ("", "asc", "desc")), default="")
    after = StringField()
    before = StringField()


def filters_of(form: ContractFilterForm) -> ContractFilters:
    """The filters the form asks for; an invalid value is ignored, never fatal."""
    form.validate()

    def ok(name: str):
        return None if form[name].errors else form[name].data

    return ContractFilters(
        q=form.q.data or "", customer=form.customer.data or "", customer_id=ok("customer_id"),
        status=ok("status") or "", kind=ok("kind") or "", owner=ok("owner"),
        sign_from=ok("sign_from"), sign_to=ok("sign_to"), sort=ok("sort") or "created",
        direction=ok("dir") or "", after=form.after.data or None,
        before=form.before.data or None)
