"""The annual product sales ledger (年度产品销售台账 表5-12): its rows, and what each row has
been paid and still owes.

A row's amount is 数量 × 单价 to the fen. Its paid and owed amounts are never typed: the
contract's payments are allocated to its 销售 rows in date order (first in, first out); a
销货退回 or 销货折让 row is a credit, shown as a negative amount owed.
"""

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import Select, and_, bindparam, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Contract, EntryKind, Payment, SalesEntry, User
from app.services.core import audit
from app.services.core.edits import update_if_unchanged
from app.services.core.loading import read_rows
from app.services.core.pii import mask_phone
from app.services.sales.ledger.payments import EFFECTIVE, ZERO, Refused, before_signing, fen
from app.services.sales.ledger.reversals import reversed_ids
from app.services.sales.scope import inherit_scope

# Mobile numbers and landlines with an area code, wherever they appear in a free text.
_PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")


def mask_phones_in(text: str | None) -> str:
    """A free text (联系方式) with every phone number in it masked like the customer's."""
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text or "")


@dataclass
class EntryData:
    """Validated values of the ledger row form."""

    entry_date: date
    kind: EntryKind
    contact_name: str | None
    product: str
    spec: str | None
    quantity: Decimal
    unit_price: Decimal
    cost: Decimal | None
    invoice_no: str | None
    remarks: str | None


def row_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """金额 = 数量 × 单价, exact, rounded half up to the fen."""
    return fen(quantity * unit_price)


def _values(contract: Contract, data: EntryData) -> dict:
    """The stored columns for `data` under `contract`; refuses a contract not in force."""
    if contract.status not in EFFECTIVE:
        raise Refused(_("该合同尚未生效（评审通过后方可登记销售）。"), "contract_id")
    values = asdict(data)
    values.update(contract_id=contract.id, customer_id=contract.customer_id,
                  amount=row_amount(data.quantity, data.unit_price),
                  cost=None if data.cost is None else fen(data.cost))
    scope = SimpleNamespace()
    inherit_scope(scope, contract.customer, contract.confidentiality)
    values.update(owner_id=scope.owner_id, department_id=scope.department_id,
                  confidentiality=scope.confidentiality)
    return values


def create_entry(contract: Contract, data: EntryData, actor: User,
                 confirmed_early: bool = False) -> SalesEntry:
    """Adds a row under one of the customer's contracts; refuses a contract not in force; a
    date before the contract's signing waits for the user's confirmation."""
    values = _values(contract, data)
    early = before_signing(contract, data.entry_date, confirmed_early, _("销售日期"))
    entry = SalesEntry(**values, created_by_id=actor.id)
    db.session.add(entry)
    db.session.flush()
    changes = audit.field_changes({}, _snapshot(entry))
    if early:
        changes["before_sign_date"] = str(contract.sign_date)
    audit.record("sales_entry_created", entry, actor=actor, object_label=_label(entry),
                 changes=changes)
    return entry


def stamp(entry: SalesEntry) -> str:
    """The row's edit stamp (its last update time), carried by the edit form."""
    return entry.updated_at.isoformat(timespec="microseconds")


@dataclass
class EntryDetails:
    """What may still change on a recorded row: the descriptive fields. Its date, contract,
    kind, product and amounts are corrected by reversal (红冲) and a new row."""

    contact_name: str | None
    spec: str | None
    invoice_no: str | None
    remarks: str | None


def details_of(entry: SalesEntry) -> EntryDetails:
    return EntryDetails(entry.contact_name, entry.spec, entry.invoice_no, entry.remarks)


def update_details(entry: SalesEntry, details: EntryDetails, expected: str,
                   actor: User) -> dict:
    """Saves the descriptive fields edited on the row as stamped `expected`; raises
    EditConflict when the row changed since (checked and written in one UPDATE), Refused for
    a reversal row (never changed)."""
    if entry.reverses_id is not None:
        raise Refused(_("红冲记录不能修改。"))
    before = _snapshot(entry)
    update_if_unchanged(entry, expected, asdict(details))
    changes = audit.field_changes(before, _snapshot(entry))
    if changes:
        audit.record("sales_entry_updated", entry, actor=actor, object_label=_label(entry),
                     changes=changes)
    return changes


def _snapshot(entry: SalesEntry) -> dict:
    fields = ("entry_date", "kind", "customer_id", "contract_id", "contact_name", "product",
              "spec", "quantity", "unit_price", "amount", "cost", "invoice_no", "remarks",
              "owner_id", "confidentiality")
    return {name: getattr(entry, name) for name in fields}


def _label(entry: SalesEntry) -> str:
    return f"{entry.entry_date} {entry.product}"[:200]


@dataclass(frozen=True)
class Allocation:
    """What a row has been paid and still owes; None where nothing can be said (no contract;
    paid on a credit row)."""

    paid: Decimal | None
    owed: Decimal | None


NO_CONTRACT = Allocation(None, None)


@cache
def live():
    """The rows that count one by one: neither a reversal nor reversed (their sums net out).
    Built once: the expression never changes, and building it costs more than the query."""
    reversal = aliased(SalesEntry)
    return and_(SalesEntry.reverses_id.is_(None),
                ~select(reversal.id).where(reversal.reverses_id == SalesEntry.id).exists())


def allocate(entries: list[SalesEntry], void: set[int] | None = None) -> dict[int, Allocation]:
    """{row id: Allocation} for these rows: each contract's payments go to its 销售 rows in
    date order (all of the contract's rows, whatever page or filter shows these); a reversed
    row and its reversal are void, neither paid nor owed. `void`: which of these rows have been
    reversed, when the caller has already asked."""
    contract_ids = {e.contract_id for e in entries if e.contract_id is not None}
    fifo = _fifo(contract_ids)
    if void is None:
        void = reversed_ids(SalesEntry, [e.id for e in entries])
    result = {}
    for entry in entries:
        if entry.contract_id is None or entry.reverses_id is not None or entry.id in void:
            result[entry.id] = NO_CONTRACT
        elif entry.kind != EntryKind.SALE:
            result[entry.id] = Allocation(None, -entry.amount)
        else:
            result[entry.id] = fifo[entry.id]
    return result


@cache
def _fifo_statements() -> tuple[Select, Select]:
    """(paid per contract, the contracts' live 销售 rows in date order), built once: every page
    of the ledger runs them; the contracts' ids are bound as a list."""
    contracts = bindparam("contracts", expanding=True)
    paid = (select(Payment.contract_id, func.sum(Payment.amount))
            .where(Payment.contract_id.in_(contracts)).group_by(Payment.contract_id))
    sales = (select(SalesEntry.id, SalesEntry.contract_id, SalesEntry.amount)
             .where(SalesEntry.contract_id.in_(contracts), SalesEntry.kind == EntryKind.SALE,
                    live())
             .order_by(SalesEntry.contract_id, SalesEntry.entry_date, SalesEntry.id))
    return paid, sales


def _fifo(contract_ids: set[int]) -> dict[int, Allocation]:
    """FIFO allocation of the payments of these contracts to all of their 销售 rows."""
    if not contract_ids:
        return {}
    ids = {"contracts": sorted(contract_ids)}
    paid, sales = _fifo_statements()
    left = defaultdict(lambda: ZERO, read_rows(paid, ids))
    rows = read_rows(sales, ids)
    allocation = {}
    for row_id, contract_id, amount in rows:
        paid = min(amount, max(left[contract_id], ZERO))
        left[contract_id] -= paid
        allocation[row_id] = Allocation(paid, amount - paid)
    return allocation
