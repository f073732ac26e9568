"""What a contract's page shows of its review: state, validity, pending requests, changes and the
signed versions, with each version's differences to the one before (fields, lines, terms)."""

import json
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, inspect, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import (
    ApprovalRequest,
    Contract,
    ContractChange,
    ContractKind,
    ContractLine,
    ContractStatus,
    Customer,
    Level,
    PaymentTerm,
    RecordVersion,
    RequestStatus,
    Signature,
    TemplateSource,
    TermKind,
    User,
)
from app.services.approvals.pages import REQUEST_LOADS, VERSION_LOADS
from app.services.approvals.signatures import Validity
from app.services.core.loading import load_related
from app.services.sales.contracts.changes import proposed_data
from app.services.sales.contracts.data import plain
from app.services.sales.contracts.review import (
    RECORD_TYPE,
    contract_validity,
    last_rejection,
    signed_snapshot,
)

FIELD_LABELS = {
    "name": _l("合同名称"), "customer_id": _l("签约单位"), "kind": _l("合同种类"),
    "template_source": _l("合同版本"), "sign_date": _l("签订日期"),
    "start_date": _l("合同开始日期"), "end_date": _l("合同结束日期"),
    "delivery_date": _l("交货日期"), "delivery_place": _l("交货地点"),
    "acceptance_method": _l("验收方式"), "quality_requirements": _l("质量要求"),
    "has_penalty": _l("是否是罚款合同"), "penalty_clause": _l("罚款条款"),
    "key_terms": _l("合同关键条款描述"), "sample_sealed": _l("是否样品封存"),
    "copies": _l("合同份数"), "pages_per_copy": _l("每份页数"), "remarks": _l("备注"),
    "confidentiality": _l("密级"), "total_amount": _l("合同金额"),
}


# What a contract's pages (the contract, its payments) read of it besides its own columns: its
# customer and people, joined to it (policy.load takes these), then its lines and terms.
PAGE_LOADS = (joinedload(Contract.customer), joinedload(Contract.owner),
              joinedload(Contract.created_by))
_JOINED_KEYS = {"customer", "owner", "created_by"}
# The lines and the terms by statements built once, in the relationships' order: selectinload
# builds its statement on every load, which cost more than the page's other statements together.
_COLLECTIONS = {
    "lines": select(ContractLine).where(ContractLine.contract_id == bindparam("contract"))
    .order_by(ContractLine.position),
    "terms": select(PaymentTerm).where(PaymentTerm.contract_id == bindparam("contract"))
    .order_by(PaymentTerm.due_date, PaymentTerm.id),
}


def load_page(contract: Contract) -> Contract:
    """The contract with its customer, people, lines and terms loaded (two statements after
    policy.load with PAGE_LOADS; none for what no rollback has expired since)."""
    unloaded = inspect(contract).unloaded
    if unloaded & _JOINED_KEYS:
        load_related([contract], *PAGE_LOADS)
    for name in unloaded & _COLLECTIONS.keys():
        rows = db.session.scalars(_COLLECTIONS[name], {"contract": contract.id}).all()
        set_committed_value(contract, name, list(rows))
    return contract


def load_form(contract: Contract | None, customer: Customer | None) -> None:
    """What a contract form shows besides the typed values: the contract's customer, and the
    chosen customer's owner and department; read again if a rollback expired them."""
    load_related([contract], joinedload(Contract.customer))
    load_related([customer], joinedload(Customer.owner).joinedload(User.department))


@dataclass
class Row:
    """One displayed difference (or, with old == new, one value)."""

    label: str
    old: str
    new: str


@dataclass
class VersionView:
    version: RecordVersion
    request: ApprovalRequest
    values: dict
    changes: list[Row] = field(default_factory=list)


@dataclass
class ReviewSummary:
    validity: Validity
    pending: ApprovalRequest | None
    rejection: Signature | None
    change: ContractChange | None
    change_request: ApprovalRequest | None
    change_rows: list[Row]
    changes: list[ContractChange]
    versions: list[VersionView]


@dataclass
class LineView:
    """A product line for display: the quantity without trailing zeros."""

    product: str
    spec: str | None
    unit: str | None
    quantity: str
    unit_price: Decimal
    amount: Decimal


def line_views(lines: list[dict]) -> list[LineView]:
    """Lines of a canonical snapshot (or of `plain(data_of(contract))`) for display."""
    return [LineView(ln["product"], ln.get("spec"), ln.get("unit"),
                     f"{Decimal(ln['quantity']).normalize():f}", Decimal(ln["unit_price"]),
                     Decimal(ln["amount"])) for ln in lines]


def _choice(enum, value) -> str:
    return str(enum(value).label)


def display(name: str, value) -> str:
    """A stored (canonical) value as people read it."""
    if value is None or value == "":
        return "—"
    if name == "customer_id":
        customer = db.session.get(Customer, int(value))
        return customer.name if customer else str(value)
    shown = {"kind": lambda v: _choice(ContractKind, v),
             "template_source": lambda v: _choice(TemplateSource, v),
             "confidentiality": lambda v: str(Level(int(v)).label),
             "total_amount": lambda v: f"¥{Decimal(v):,.2f}"}
    if name in shown:
        return shown[name](value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def line_text(line: dict | None) -> str:
    if not line:
        return "—"
    spec = f" {line['spec']}" if line.get("spec") else ""
    unit = line.get("unit") or ""
    return (f"{line['product']}{spec}：{Decimal(line['quantity']).normalize():f}{unit} × "
            f"¥{Decimal(line['unit_price']):,.2f} = ¥{Decimal(line['amount']):,.2f}")


def term_text(term: dict | None) -> str:
    if not term:
        return "—"
    return _("%(kind)s ¥%(amount)s，%(due)s 到期", kind=_choice(TermKind, term["kind"]),
             amount=f"{Decimal(term['amount']):,.2f}", due=term["due_date"])


def _rows(label: str, old: list, new: list, text) -> list[Row]:
    rows = []
    for i in range(max(len(old), len(new))):
        before = text(old[i] if i < len(old) else None)
        after = text(new[i] if i < len(new) else None)
        if before != after:
            rows.append(Row(f"{label} {i + 1}", before, after))
    return rows


def diff(old: dict, new: dict) -> list[Row]:
    """Field by field, line by line and term by term: what changed from `old` to `new`."""
    rows = [Row(str(label), display(name, old.get(name)), display(name, new.get(name)))
            for name, label in FIELD_LABELS.items() if old.get(name) != new.get(name)]
    return (rows + _rows(_("产品明细"), old.get("lines", []), new.get("lines", []), line_text)
            + _rows(_("付款条款"), old.get("terms", []), new.get("terms", []), term_text))


def values_rows(values: dict) -> list[Row]:
    """Every header value of a snapshot, for a version page."""
    return [Row(str(label), display(name, values.get(name)), display(name, values.get(name)))
            for name, label in FIELD_LABELS.items()]


# The review panel's statements, built once (every contract page runs them; building one costs
# as much as running it): the contract's id and its pending change's are bound when they run.
_VERSIONS = (select(RecordVersion).where(RecordVersion.record_type == RECORD_TYPE,
                                         RecordVersion.record_id == bindparam("contract"))
             .order_by(RecordVersion.number).options(*VERSION_LOADS))
_CHANGES = (select(ContractChange).where(ContractChange.contract_id == bindparam("contract"))
            .order_by(ContractChange.id.desc()).options(joinedload(ContractChange.requested_by)))
_REVIEW = and_(ApprovalRequest.record_type == RECORD_TYPE,
               ApprovalRequest.record_id == bindparam("contract"))
_CHANGE_REVIEW = and_(ApprovalRequest.record_type == "ContractChange",
                      ApprovalRequest.record_id == bindparam("change"))
_PENDING = {with_change: select(ApprovalRequest).where(
    or_(_REVIEW, _CHANGE_REVIEW) if with_change else _REVIEW,
    ApprovalRequest.status == RequestStatus.PENDING).options(*REQUEST_LOADS)
    for with_change in (False, True)}


def versions(contract: Contract) -> list[VersionView]:
    """The signed versions, newest first, each with its changes to the one before."""
    rows = db.session.scalars(_VERSIONS, {"contract": contract.id}).unique().all()
    views, previous = [], None
    for row in rows:
        values = json.loads(row.snapshot)
        changes = diff(previous, values) if previous is not None else []
        views.append(VersionView(row, row.approval_request, values, changes))
        previous = values
    return list(reversed(views))


def changes_of(contract: Contract) -> list[ContractChange]:
    return list(db.session.scalars(_CHANGES, {"contract": contract.id}))


def change_rows(change: ContractChange) -> list[Row]:
    """A change's proposal against the contract as it was when it was filed (or is now)."""
    base = _base_values(change)
    return diff(base, plain(proposed_data(change), with_ids=False))


def _base_values(change: ContractChange) -> dict:
    version = db.session.scalar(select(RecordVersion).where(
        RecordVersion.record_type == RECORD_TYPE, RecordVersion.record_id == change.contract_id,
        RecordVersion.number == change.base_version))
    return json.loads(version.snapshot) if version else signed_snapshot(change.contract)


def summary(contract: Contract) -> ReviewSummary:
    """The review panel of the contract's page. The versions come first: the validity check
    then finds the latest one's request and signatures loaded (and a contract never signed has
    none to check); the pending change is among the changes the panel lists."""
    history = versions(contract)
    changes = changes_of(contract)
    change = next((c for c in changes if c.status == RequestStatus.PENDING), None)
    pending, change_request = _pending_requests(contract, change)
    return ReviewSummary(
        validity=contract_validity(contract) if history else Validity("unsigned"),
        pending=pending,
        rejection=last_rejection(contract) if contract.status == ContractStatus.DRAFT else None,
        change=change, change_request=change_request,
        change_rows=change_rows(change) if change else [], changes=changes, versions=history)


def _pending_requests(contract: Contract, change: ContractChange | None):
    """(the pending review, the pending change's approval), each None when there is none, with
    their signatures and submitters, in one statement and one per selectinload."""
    found = {request.record_type: request for request in db.session.scalars(
        _PENDING[change is not None],
        {"contract": contract.id, "change": change.id if change else None}).unique()}
    return found.get(RECORD_TYPE), found.get("ContractChange")
