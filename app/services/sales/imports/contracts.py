"""The contract register's import (销售合同): one row per contract with one product line and its
payment terms, registered as a draft through services.contracts (numbering, the form's rules,
the audit trail), never past the review: a contract under review or signed is not changed.

A row names a customer the user may register contracts for (by name or number). A duplicate is
a contract of the same customer with the same name, or the contract a 合同编号 cell names; the
update rule changes it only while it is a draft with at most one product line.
"""

from dataclasses import replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app import policy
from app.extensions import db
from app.models import Contract, ContractKind
from app.policy import Action
from app.services.core.errors import EditConflict
from app.services.customers import operations as customer_service
from app.services.imports.base import Outcome, Plan
from app.services.imports.fields import fold
from app.services.imports.rowwise import RowByRowImporter, RowState
from app.services.imports.xlsx import BadFile
from app.services.sales.contracts import operations as service
from app.services.sales.contracts.data import (
    ContractData,
    LineData,
    TermData,
    data_of,
    plain,
    problems,
)
from app.services.sales.imports.contract_fields import (
    CHOICES,
    DATES,
    HEADER_TEXTS,
    TERMS,
    ContractReader,
    columns,
)
from app.services.sales.imports.lookups import Customers


class ContractState(RowState):
    """A file's check or run: the reader's lists and the customers looked up so far."""

    def __init__(self, actor, rule, labels: dict[str, str]):
        super().__init__(actor, rule)
        self.reader = ContractReader(labels)
        self.customers = Customers(actor)


def _keys(values: dict, customer) -> list[tuple]:
    """The row's duplicate keys: its 合同编号 if any, then its customer and name."""
    keys = [("number", values["number"])] if values["number"] else []
    return [*keys, ("name", customer.id, fold(values["name"]))]


class ContractImporter(RowByRowImporter):
    ledger = "contracts"
    label = _l("销售合同")
    duplicates = _l("同一客户的合同名称相同，或合同编号相同")
    note = _l("导入的合同为草稿，核对后请逐份提交评审；评审中或已生效的合同不会被导入修改。")
    model = Contract
    choice_enums = CHOICES
    retryable = (EditConflict,)

    @property
    def columns(self):
        return columns()

    def map_headers(self, header_row):
        """As every ledger's, and the customer named by 客户名称 or 客户编号."""
        mapping = super().map_headers(header_row)
        if not {"customer", "customer_number"} & set(mapping.values()):
            raise BadFile(_("表头缺少必填列：%(names)s。请使用导入模板的表头（第一行）。",
                            names=_("客户名称（或客户编号）")))
        return mapping

    def begin(self, actor, rule):
        return ContractState(actor, rule, self.labels)

    def plan(self, rows, state):
        """Each row's outcome, against the database and the rows before it."""
        parsed = [(row, *state.reader.read(cells)) for row, cells in rows]
        state.customers.load(
            {v["customer_number"] for _r, v, _p in parsed if v["customer_number"]},
            {v["customer"] for _r, v, _p in parsed if v["customer"] and not v["customer_number"]})
        for _row, values, found in parsed:
            values["customer_record"] = self._customer(values, found, state)
        existing = _existing([v for _r, v, p in parsed if not p], state)
        return [self._plan_row(row, values, found, state, existing)
                for row, values, found in parsed]

    @staticmethod
    def _customer(values: dict, found: list[str], state):
        """The row's customer; a problem (the same whether it is missing or out of the user's
        scope) when there is none."""
        if not values["customer"] and not values["customer_number"]:
            return None
        customer = state.customers.find(values["customer_number"], values["customer"])
        if customer is None:
            found.append(_("找不到客户「%(name)s」：请填写您负责的客户的名称或编号。",
                           name=(values["customer_number"] or values["customer"])[:40]))
        elif (values["customer"] and values["customer_number"]
              and customer.name_key != customer_service.name_key(values["customer"])):
            found.append(_("「客户名称」与「客户编号」%(number)s 不是同一客户。",
                           number=customer.number))
        return customer

    def _plan_row(self, row, values, found, state, existing) -> Plan:
        label = values["name"] or "—"
        if found:
            return Plan(row, label, Outcome.ERROR, "；".join(found))
        customer, keys = values["customer_record"], _keys(values, values["customer_record"])
        duplicate = next((existing[k] for k in keys if k in existing), None)
        duplicate = duplicate or state.earlier(keys)
        if duplicate is not None:
            reason = (_("已有合同 %(number)s。", number=duplicate.number)
                      if isinstance(duplicate, Contract) else "")
            return self.duplicate(row, label, values, duplicate, reason, state)
        data = _new_data(values, customer)
        refused = problems(data, customer, state.actor)
        if refused:
            return Plan(row, label, Outcome.ERROR, "；".join(p.message for p in refused))
        state.note(keys, row)
        values["data"] = data
        note = (_("提示：系统中没有合同编号「%(number)s」，将按编号规则另行编号，原编号记入备注。",
                  number=values["number"]) if values["number"] else "")
        return Plan(row, label, Outcome.CREATE, note, values)

    def changes(self, record, values, state):
        """Updating `record` with the row: only a draft the user may edit, with one line."""
        if not policy.can(state.actor, Action.EDIT, record):
            return Outcome.ERROR, _("您无权修改合同 %(number)s。", number=record.number), None
        frozen = service.frozen_message(record)
        if frozen:
            return Outcome.ERROR, _("合同 %(number)s：%(why)s", number=record.number,
                                    why=frozen), None
        if len(record.lines) > 1:
            return Outcome.ERROR, _("合同 %(number)s 有多行产品明细，不能按导入的一行更新；"
                                    "请在合同页面修改。", number=record.number), None
        current = data_of(record)
        new = _merged(current, values)
        refused = problems(new, values["customer_record"], state.actor)
        if refused:
            return Outcome.ERROR, "；".join(p.message for p in refused), None
        if plain(new, with_ids=False) == plain(current, with_ids=False):
            return Outcome.SKIP, _("内容与已有记录相同，无需更新。"), None
        return Outcome.UPDATE, _("将更新已有合同 %(number)s（草稿）。", number=record.number), new

    def create(self, plan, state):
        try:
            contract = service.create_contract(plan.values["data"], state.actor)
        except service.Invalid as error:
            return None, "；".join(p.message for p in error.problems)
        return contract.id, None

    def save(self, record, new_values, state):
        try:
            service.update_contract(record, new_values, record.version, state.actor)
        except service.Frozen as error:
            return error.message
        except service.Invalid as error:
            return "；".join(p.message for p in error.problems)
        return None


def _existing(rows: list[dict], state) -> dict[tuple, Contract]:
    """{duplicate key: contract} of the contracts in the user's scope the rows may repeat (the
    newest of several with one name)."""
    numbers = {v["number"] for v in rows if v["number"]}
    customers = {v["customer_record"].id for v in rows if v["customer_record"] is not None}
    if not numbers and not customers:
        return {}
    query = (policy.scope(select(Contract), state.actor, Contract)
             .where(or_(Contract.number.in_(numbers), Contract.customer_id.in_(customers)))
             .options(selectinload(Contract.lines), selectinload(Contract.terms))
             .order_by(Contract.id.desc()))
    found = {}
    for contract in db.session.scalars(query):
        found[("number", contract.number)] = contract
        found.setdefault(("name", contract.customer_id, fold(contract.name)), contract)
    return found


def _terms_of(values: dict) -> list[TermData]:
    """The row's terms in the template's order (预付款, 验收款, 质保金)."""
    return [values["terms"][kind] for kind, _a, _d in TERMS if kind in values["terms"]]


def _new_data(values: dict, customer) -> ContractData:
    """A new contract's values; the level defaults to the customer's."""
    remarks = values["remarks"]
    if values["number"]:
        former = _("原合同编号：%(number)s", number=values["number"])
        remarks = f"{remarks}\n{former}" if remarks else former
    return ContractData(
        **{key: values[key] for key in (*HEADER_TEXTS, *DATES)} | {"remarks": remarks},
        customer_id=customer.id, kind=values["kind"] or ContractKind.SALES,
        confidentiality=values["confidentiality"] or customer.confidentiality,
        lines=[values["line"]], terms=_terms_of(values))


def _merged(current: ContractData, values: dict) -> ContractData:
    """The contract's values with the row's filled cells over them (a blank cell keeps what is
    there); a term the row fills replaces the terms of its kind."""
    header = {key: values[key] for key in (*HEADER_TEXTS, *DATES, "kind", "confidentiality")
              if values[key] is not None}
    line, old = values["line"], (current.lines[0] if current.lines else None)
    spec = line.spec if line.spec is not None or old is None else old.spec
    unit = line.unit if line.unit is not None or old is None else old.unit
    terms = [t for t in current.terms if t.kind not in values["terms"]]
    for term in _terms_of(values):
        kept = next((t.id for t in current.terms if t.kind == term.kind), None)
        terms.append(replace(term, id=kept))
    return replace(current, **header, customer_id=values["customer_record"].id,
                   lines=[LineData(line.product, spec, unit, line.quantity, line.unit_price)],
                   terms=terms)
