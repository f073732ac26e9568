"""How the audit trail names the SLA settings' actions and fields (registered by the
department's plug_in)."""

from flask_babel import lazy_gettext as _l

from app.models.service.sla import SlaCalendar
from app.services.core import audit_labels

POLICY_FIELDS = {
    "name": _l("名称"), "calendar": _l("计时日历"), "response_minutes": _l("响应时限（分钟）"),
    "on_site_minutes": _l("到场时限（分钟）"), "resolution_minutes": _l("解决时限（分钟）"),
}


def register() -> None:
    """The SLA policy's fields, the contract's profile field and the actions."""
    audit_labels.register_object("SlaPolicy", _l("SLA 时限"), POLICY_FIELDS,
                                 {"calendar": SlaCalendar})
    audit_labels.register_object("Contract", _l("销售合同"),
                                 {"sla_profile": _l("上门服务承诺")})
    audit_labels.register_actions({
        "sla_policy_updated": _l("修改 SLA 时限"),
        "sla_profile_attached": _l("合同关联上门服务承诺"),
        "sla_profile_detached": _l("合同取消上门服务承诺"),
        "sla_recompute_requested": _l("重新计算 SLA 期限"),
    })
