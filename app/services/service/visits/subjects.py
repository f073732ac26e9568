"""What a visit is about, as its page shows it: the subject's kind, number and title, and a
link when the user may open the subject (policy decides; one statement per visit page)."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app import policy
from app.extensions import db
from app.models import Contract
from app.models.service.records import ServiceRecord
from app.models.service.visits import ReturnVisit, VisitSubject
from app.policy import Action


@dataclass(frozen=True)
class Subject:
    kind: str
    label: str
    endpoint: str | None = None
    args: dict = field(default_factory=dict)

def _contract(visit: ReturnVisit, user) -> Subject:
    contract = db.session.get(Contract, visit.subject_id)
    if contract is None:
        return Subject(_("合同"), f"#{visit.subject_id}")
    link = policy.can(user, Action.VIEW, contract)
    label = f"{contract.number} {contract.name}"
    if contract.delivery_date:
        label += " · " + _("交付日期 %(day)s", day=contract.delivery_date.isoformat())
    return Subject(_("合同"), label, "sales.contract_detail" if link else None,
                   {"contract_id": contract.id})

def _service(visit: ReturnVisit, user) -> Subject:
    record = db.session.get(ServiceRecord, visit.subject_id)
    if record is None:
        return Subject(_("服务记录"), f"#{visit.subject_id}")
    link = policy.can(user, Action.VIEW, record)
    return Subject(_("服务记录"), record.number, "service.record_detail" if link else None,
                   {"record_id": record.id})

def _customer(visit: ReturnVisit, user) -> Subject:
    customer = visit.customer  # loaded with the page
    link = policy.can(user, Action.VIEW, customer)
    return Subject(_("客户"), str(customer), "customers.customer_detail" if link else None,
                   {"customer_id": customer.id})

def subject_of(visit: ReturnVisit, user) -> Subject:
    """The visit's subject for its page; a complaint is named by its id until the complaints
    ledger exists."""
    if visit.subject_type == VisitSubject.CONTRACT:
        return _contract(visit, user)
    if visit.subject_type == VisitSubject.SERVICE:
        return _service(visit, user)
    if visit.subject_type == VisitSubject.CUSTOMER:
        return _customer(visit, user)
    return Subject(_("投诉"), f"#{visit.subject_id}")
