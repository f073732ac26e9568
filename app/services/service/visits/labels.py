"""How the audit trail names return visits and their actions (registered by plug_in)."""

from flask_babel import lazy_gettext as _l

from app.models.service.visits import Intention, VisitMethod
from app.services.core import audit_labels

FIELDS = {
    "method": _l("回访方式"), "satisfaction": _l("满意度"), "next_visit": _l("下次回访"),
    "from": _l("原回访日期"), "to": _l("新回访日期"), "reason": _l("改期原因"),
    "new_visit": _l("新回访"), "assignee": _l("回访人"), "intention": _l("再次合作意向"),
}


def register() -> None:
    audit_labels.register_object("ReturnVisit", _l("回访"), FIELDS,
                                 {"method": VisitMethod, "intention": Intention})
    audit_labels.register_actions({
        "return_visit_record": _l("登记回访记录"),
        "return_visit_reschedule": _l("回访改期"),
        "return_visit_assign": _l("分配回访人"),
    })
