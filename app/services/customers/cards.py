"""What a customer's signer reads (客户档案审核, 客户资料变更): the signed fields of the frozen
snapshot with the customer page's labels, personal data never in clear; a change's old → new
rows come from its kind's `changes`, as on the printed 审批单."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import Customer
from app.services.core.loading import read_rows
from app.services.core.record_kinds import Card, Figure
from app.services.customers.fields import FIELD_LABELS, LABELS_ORDER, display

TEMPLATE = "customers/customer/_card.html"


def _fields(snapshot: dict) -> list[tuple[str, str]]:
    return [(str(_l("客户编号")), snapshot["number"])] + [
        (str(FIELD_LABELS[name]), display(name, snapshot.get(name))) for name in LABELS_ORDER]


# Built once: every inbox page showing customer or contract items asks it; the ids bound.
_NAMES = select(Customer.id, Customer.name).where(Customer.id.in_(bindparam("ids", expanding=True)))


def customer_names(ids: set[int]) -> dict[int, str]:
    """{customer id: name} of these customers (one statement), for the cards' key figures."""
    return dict(read_rows(_NAMES, {"ids": list(ids)})) if ids else {}


class CustomerCard:
    """客户档案审核: the customer as submitted."""

    def card(self, snapshot: dict, record) -> Card:
        return Card(TEMPLATE, {"fields": _fields(snapshot)})

    def figures(self, snapshots: list[dict]) -> list[list[Figure]]:
        name, kind = str(_l("客户名称")), str(_l("客户性质"))  # translated once a page
        return [[Figure(name, s["name"]), Figure(kind, display("kind", s["kind"]))]
                for s in snapshots]


class CustomerChangeCard:
    """客户资料变更: which customer, why; the old → new rows are the change kind's."""

    def card(self, snapshot: dict, record) -> Card:
        customer = db.session.get(Customer, snapshot["customer_id"])
        fields = [(str(_l("客户编号")), customer.number), (str(_l("客户名称")), customer.name),
                  (str(_l("变更原因")), record.reason if record is not None else "—")]
        return Card(TEMPLATE, {"fields": fields})

    def figures(self, snapshots: list[dict]) -> list[list[Figure]]:
        names = customer_names({s["customer_id"] for s in snapshots})
        name, changed = str(_l("客户名称")), str(_l("变更项目"))  # translated once a page
        fields = {key: str(label) for key, label in FIELD_LABELS.items()}
        return [[Figure(name, names.get(s["customer_id"], "—")),
                 Figure(changed, "、".join(fields[k] for k in s["proposed"] if k in fields))]
                for s in snapshots]
