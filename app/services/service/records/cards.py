"""What the 客服 manager reads before signing a service record's 审核: the sheet's fields from
the frozen snapshot (names looked up, the phone never shown), as the record page labels them."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import Customer, User
from app.models.service.records import ConfirmationMethod, ServiceType
from app.services.core.record_kinds import Card, Figure
from app.services.service import satisfaction

TEMPLATE = "service/record/_card.html"


def _names(model, ids: set) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    label = model.name if model is Customer else model.full_name
    return dict(db.session.execute(select(model.id, label).where(model.id.in_(ids))).all())


def _confirmation(snapshot: dict) -> str:
    if not snapshot.get("confirmed_at"):
        return "—"
    method = snapshot.get("confirmation_method")
    shown = str(ConfirmationMethod(method).label) if method else ""
    return f"{snapshot.get('confirmed_by') or ''}（{shown}）{snapshot['confirmed_at'][:16]}"


def _parts(snapshot: dict) -> str:
    return "；".join(f"{p['name']} {p['spec'] or ''} × {p['quantity']}"
                    for p in snapshot.get("parts", [])) or "—"


def _fields(snapshot: dict) -> list[tuple[str, str]]:
    people = _names(User, {snapshot.get("handler_id")})
    customer = _names(Customer, {snapshot["customer_id"]})
    score = snapshot.get("satisfaction")
    return [
        (str(_l("服务编号")), snapshot["number"]),
        (str(_l("客户名称")), customer.get(snapshot["customer_id"], "—")),
        (str(_l("服务类型")), str(ServiceType(snapshot["service_type"]).label)),
        (str(_l("服务时间")), (snapshot.get("service_at") or "—")[:16]),
        (str(_l("服务内容")), snapshot.get("content") or "—"),
        (str(_l("解决方案")), snapshot.get("solution") or "—"),
        (str(_l("服务结果")), snapshot.get("result") or "—"),
        (str(_l("更换部件/配件")), _parts(snapshot)),
        (str(_l("负责人")), people.get(snapshot.get("handler_id"), "—")),
        (str(_l("客户确认")), _confirmation(snapshot)),
        (str(_l("满意度评分")), f"{score}（{satisfaction.label(score)}）" if score else "—"),
        (str(_l("客户反馈")), snapshot.get("feedback") or "—"),
        (str(_l("关闭时间")), (snapshot.get("closed_at") or "—")[:16]),
    ]


class ServiceRecordCard:
    """客户服务记录审核: the closed record as submitted."""

    def card(self, snapshot: dict, record) -> Card:
        return Card(TEMPLATE, {"fields": _fields(snapshot)})

    def figures(self, snapshots: list[dict]) -> list[list[Figure]]:
        names = _names(Customer, {s["customer_id"] for s in snapshots})
        customer, kind = str(_l("客户名称")), str(_l("服务类型"))  # translated once a page
        return [[Figure(customer, names.get(s["customer_id"], "—")),
                 Figure(kind, str(ServiceType(s["service_type"]).label))] for s in snapshots]
