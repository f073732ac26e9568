"""The contract register (销售合同登记): create and edit drafts with their product lines and
payment terms; the total is always the sum of the lines; signed contracts are frozen."""

from flask_babel import gettext as _
from sqlalchemy import Select, select

from app.extensions import db
from app.models import (
    Contract,
    ContractLine,
    ContractStatus,
    Customer,
    Department,
    DeptCode,
    Level,
    PaymentTerm,
    Role,
    User,
)
from app.models.base import utcnow
from app.services.core import audit, edits, errors, numbering
from app.services.core.search import index_tokens
from app.services.core.viewer_statements import for_viewer
from app.services.sales.contracts.data import ContractData, Problem, data_of, plain, problems
from app.services.sales.scope import inherit_scope


class Invalid(Exception):
    """The values break a rule; `problems` say which and where."""

    def __init__(self, found: list[Problem]):
        super().__init__("; ".join(p.message for p in found))
        self.problems = found


class Frozen(errors.Refused):
    """The contract may not be edited in its state (submitted, signed, closed)."""


def frozen_message(contract: Contract) -> str | None:
    """Why the contract cannot be edited directly, or None for a draft."""
    if contract.status == ContractStatus.DRAFT:
        return None
    if contract.status == ContractStatus.SUBMITTED:
        return _("合同正在评审中，不能修改；如需修改，请先撤回评审。")
    if contract.status == ContractStatus.ACTIVE:
        return _("合同已评审生效，不能直接修改；如需修改，请提交合同变更申请。")
    return _("合同已关闭，不能修改。")


def ensure_editable(contract: Contract) -> None:
    """Raises Frozen unless the contract is a draft."""
    message = frozen_message(contract)
    if message:
        raise Frozen(message)


def _merge_terms(contract: Contract, data: ContractData) -> None:
    """Terms with a known id are updated in place (payments point at them); the others are
    replaced."""
    existing = {term.id: term for term in contract.terms}
    kept = []
    for wanted in data.terms:
        term = existing.pop(wanted.id, None) if wanted.id else None
        term = term or PaymentTerm()
        term.kind, term.amount, term.due_date = wanted.kind, wanted.amount, wanted.due_date
        kept.append(term)
    contract.terms = kept


def apply_data(contract: Contract, data: ContractData, customer: Customer) -> None:
    """Writes the values, lines and terms; the scope comes from the customer, the total from
    the lines."""
    for name in ("name", "kind", "template_source", "sign_date", "start_date", "end_date",
                 "delivery_date", "delivery_place", "acceptance_method", "quality_requirements",
                 "has_penalty", "penalty_clause", "key_terms", "sample_sealed", "copies",
                 "pages_per_copy", "remarks"):
        setattr(contract, name, getattr(data, name))
    contract.customer_id = customer.id
    contract.customer = customer
    inherit_scope(contract, customer, data.confidentiality)
    contract.lines = [ContractLine(position=i, product=ln.product, spec=ln.spec, unit=ln.unit,
                                   quantity=ln.quantity, unit_price=ln.unit_price,
                                   amount=ln.amount)
                      for i, ln in enumerate(data.lines, start=1)]
    _merge_terms(contract, data)
    contract.total_amount = data.total
    contract.search_text = index_tokens(contract.name, contract.number)
    contract.updated_at = utcnow()  # a line-only edit still bumps the version


def described(contract: Contract) -> dict:
    """The contract as the audit trail records it: header values, lines and terms as text."""
    values = plain(data_of(contract), with_ids=False)
    values["lines"] = "; ".join(f"{ln['product']} {ln['spec'] or ''} {ln['quantity']}"
                                f"×{ln['unit_price']}={ln['amount']}" for ln in values["lines"])
    values["terms"] = "; ".join(f"{t['kind']} {t['amount']} {t['due_date']}"
                                for t in values["terms"])
    return values


def _checked(data: ContractData, actor: User) -> Customer:
    customer = db.session.get(Customer, data.customer_id) if data.customer_id else None
    found = problems(data, customer, actor)
    if found:
        raise Invalid(found)
    return customer


def create_contract(data: ContractData, actor: User) -> Contract:
    """Registers a draft contract under the next HT number; raises Invalid for values a rule
    refuses (nothing is written, no number is used)."""
    customer = _checked(data, actor)
    contract = Contract(number=numbering.series_number("HT"), created_by_id=actor.id,
                        status=ContractStatus.DRAFT)
    apply_data(contract, data, customer)
    db.session.add(contract)
    db.session.flush()
    audit.record("contract_created", contract, actor=actor,
                 changes=audit.field_changes({}, described(contract)))
    return contract


def update_contract(contract: Contract, data: ContractData, expected_version: int,
                    actor: User) -> dict:
    """Saves a draft edited from `expected_version`; raises Frozen for a contract that is not a
    draft, EditConflict for a stale form, Invalid for values a rule refuses."""
    ensure_editable(contract)
    edits.check_version(contract, expected_version)
    customer = _checked(data, actor)
    before = described(contract)
    apply_data(contract, data, customer)
    edits.flush_edit()
    changes = audit.field_changes(before, described(contract))
    if changes:
        audit.record("contract_updated", contract, changes=changes, actor=actor)
    return changes


def level_choices(actor: User) -> list[Level]:
    return [level for level in Level if level <= actor.clearance]


def owner_choices(actor: User) -> list[tuple[int, str]]:
    """(id, name) of the salespeople a manager or the GM may filter the list by."""
    if actor.role not in (Role.MANAGER, Role.GM):
        return []
    return [tuple(row) for row in db.session.execute(
        for_viewer("sales.owner_choices", actor, lambda: _owners(actor)))]


def _owners(actor: User) -> Select:
    query = (select(User.id, User.full_name).join(User.department)
             .where(User.role.in_((Role.STAFF, Role.MANAGER)))
             .order_by(User.full_name))
    if actor.role == Role.MANAGER:
        return query.where(User.department_id == actor.department_id)
    return query.where(Department.code == DeptCode.SALES)
