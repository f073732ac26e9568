"""The service record list's search, filters and sort (GET, no CSRF); the export reads the same."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Optional

from app.forms import FilterForm, options, strip
from app.models.service.records import Priority, ServiceStatus, ServiceType
from app.parsing import IdField
from app.services.service.records.lists import OPEN, SORT_COLUMNS, RecordFilters
from app.services.service.sla.state import SlaState


class RecordFilterForm(FilterForm):
    q = StringField(_l("客户名称或服务编号"), filters=[strip])
    status = SelectField(_l("处理进度"), default="", choices=options(
        [("", _l("全部进度")), (OPEN, _l("未完成（全部）"))], ServiceStatus.choices()))
    sla = SelectField(_l("SLA 状态"), default="", choices=options(
        [("", _l("全部 SLA 状态"))],
        [(c.value, c.label) for c in SlaState if c != SlaState.NORMAL]))
    service_type = SelectField(_l("服务类型"), default="", choices=options(
        [("", _l("全部类型"))], ServiceType.choices()))
    priority = SelectField(_l("优先级"), default="", choices=options(
        [("", _l("全部优先级"))], Priority.choices()))
    handler = IdField(_l("负责人"), validators=[Optional()])
    customer_id = IdField(validators=[Optional()])
    breached = BooleanField(_l("SLA 已超时"))
    major = BooleanField(_l("重大"))
    sort = SelectField(choices=options((key, key) for key in SORT_COLUMNS), default="created")
    dir = SelectField(choices=options((key, key) for key in ("", "asc", "desc")), default="")
    after = StringField()
    before = StringField()


def filters_of(form: RecordFilterForm) -> RecordFilters:
    """The filters the form asks for; an invalid value is ignored, never fatal."""
    value = form.checked()
    return RecordFilters(
        q=value["q"] or "", status=value["status"] or "", sla=value["sla"] or "",
        service_type=value["service_type"] or "", priority=value["priority"] or "",
        handler=value["handler"], customer_id=value["customer_id"],
        breached=bool(value["breached"]), major=bool(value["major"]),
        sort=value["sort"] or "created", direction=value["dir"] or "",
        after=value["after"] or None, before=value["before"] or None)
