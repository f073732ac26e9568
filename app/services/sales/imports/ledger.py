"""The sales ledger's import (销售台账, 表5-12): each row is added under a contract in force that
the user may record sales under, through services.ledger (amount = 数量 × 单价, the scope of
the contract's customer, the audit trail). A duplicate is a row of the same contract with the
same date, product and invoice number."""

from dataclasses import replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import policy
from app.extensions import db
from app.models import EntryKind, SalesEntry
from app.policy import Action
from app.services.core.errors import EditConflict
from app.services.customers import operations as customer_service
from app.services.imports.base import Outcome, Plan
from app.services.imports.fields import fold
from app.services.imports.rowwise import RowByRowImporter, RowState
from app.services.sales.imports.ledger_fields import CHOICES, SalesReader, columns
from app.services.sales.imports.lookups import Contracts
from app.services.sales.ledger import operations as service
from app.services.sales.ledger.payments import EFFECTIVE, Refused

KEPT_WHEN_BLANK = ("contact_name", "spec", "remarks")  # the descriptive fields an update sets


class SalesState(RowState):
    """A file's check or run: the reader's lists and the contracts looked up so far."""

    def __init__(self, actor, rule, labels: dict[str, str]):
        super().__init__(actor, rule)
        self.reader = SalesReader(labels)
        self.contracts = Contracts(actor)


def _key(contract_id: int, entry_date, product: str, invoice_no: str | None) -> tuple:
    """What makes two ledger rows the same row: contract, date, product and invoice number."""
    return contract_id, entry_date, fold(product), fold(invoice_no or "")


class SalesImporter(RowByRowImporter):
    ledger = "sales"
    label = _l("销售台账")
    duplicates = _l("同一合同下日期、产品名称和发票号码都相同")
    note = _l("每行须填写您负责的、已生效合同的合同编号；金额按 数量×单价 计算，"
              "已付和欠款由回款自动计算。")
    model = SalesEntry
    choice_enums = CHOICES
    retryable = (EditConflict,)

    @property
    def columns(self):
        return columns()

    def begin(self, actor, rule):
        return SalesState(actor, rule, self.labels)

    def plan(self, rows, state):
        """Each row's outcome, against the database and the rows before it."""
        parsed = [(row, *state.reader.read(cells)) for row, cells in rows]
        state.contracts.load({v["contract"] for _r, v, _p in parsed if v["contract"]})
        for _row, values, found in parsed:
            values["contract_record"] = _contract(values, found, state)
        existing = _existing([v for _r, v, p in parsed if not p], state)
        return [self._plan_row(row, values, found, state, existing)
                for row, values, found in parsed]

    def _plan_row(self, row, values, found, state, existing) -> Plan:
        label = " ".join(filter(None, (values["contract"], values["product"]))) or "—"
        if found:
            return Plan(row, label, Outcome.ERROR, "；".join(found))
        contract = values["contract_record"]
        key = _key(contract.id, values["entry_date"], values["product"], values["invoice_no"])
        matches = existing.get(key, [])
        if len(matches) > 1:
            many = _("已有 %(n)d 条相同的台账记录。", n=len(matches))
            return Plan(row, label, Outcome.SKIP, many, values, existing=matches[0],
                        on_update=Outcome.ERROR,
                        update_reason=_("已有多条相同的台账记录，无法确定更新哪一条；"
                                        "请在台账页面修改。"))
        duplicate = matches[0] if matches else state.earlier([key])
        if duplicate is not None:
            return self.duplicate(row, label, values, duplicate,
                                  _("已有相同的台账记录（合同、日期、产品名称和发票号码相同）。"),
                                  state)
        state.note([key], row)
        values["data"] = _new_data(values)
        note = (_("提示：%(columns)s由系统按回款和客户负责人计算，文件中的这些值未导入。",
                  columns="、".join(f"「{c}」" for c in values["computed"]))
                if values["computed"] else "")
        return Plan(row, label, Outcome.CREATE, " ".join(filter(None, (
            note, _early_note(contract, values["entry_date"])))), values)

    def changes(self, record, values, state):
        """Updating `record` with the row's descriptive fields (a blank optional cell keeps
        what is there); a different quantity, price, kind or cost is refused: recorded amounts
        are corrected by reversal (红冲), never overwritten."""
        if not policy.can(state.actor, Action.EDIT, record):
            return Outcome.ERROR, _("您无权修改这条台账记录。"), None
        if _amounts_differ(record, values):
            return Outcome.ERROR, _("已登记的数量、单价、类别或成本不能通过导入修改：请在台账页面"
                                    "红冲原记录后重新登记。"), None
        current = service.details_of(record)
        new = replace(current, **{k: values[k] for k in KEPT_WHEN_BLANK if values[k] is not None})
        if new == current:
            return Outcome.SKIP, _("内容与已有记录相同，无需更新。"), None
        return Outcome.UPDATE, _("将更新已有台账记录。"), new

    def create(self, plan, state):
        try:
            # Confirming the dry run, which warned of each row dated before its contract's
            # signing, confirms those dates.
            entry = service.create_entry(plan.values["contract_record"], plan.values["data"],
                                         state.actor, confirmed_early=True)
        except Refused as error:
            return None, error.message
        return entry.id, None

    def save(self, record, new_values, state):
        try:
            service.update_details(record, new_values, service.stamp(record), state.actor)
        except Refused as error:
            return error.message
        return None


def _early_note(contract, day) -> str:
    """The dry run's warning for a row dated before its contract's signing."""
    if contract.sign_date is None or day is None or day >= contract.sign_date:
        return ""
    return _("注意：日期 %(day)s 早于合同 %(number)s 的签订日期 %(signed)s，请核对；确认导入即按此"
             "日期登记。", day=day.isoformat(), number=contract.number,
             signed=contract.sign_date.isoformat())


def _amounts_differ(record: SalesEntry, values: dict) -> bool:
    """Does the row give other amounts than the recorded ones (a blank kind or cost: same)?"""
    wanted = {"quantity": values["quantity"], "unit_price": values["unit_price"],
              **{k: values[k] for k in ("kind", "cost") if values[k] is not None}}
    return any(getattr(record, name) != value for name, value in wanted.items())


def _contract(values: dict, found: list[str], state):
    """The row's contract; a problem (the same whether it does not exist or is out of the
    user's scope) when there is none, and when it is not in force or has another customer."""
    if not values["contract"]:
        return None
    contract = state.contracts.find(values["contract"])
    if contract is None:
        found.append(_("找不到合同编号「%(number)s」：请填写您负责的、已生效的合同的编号。",
                       number=values["contract"][:40]))
    elif contract.status not in EFFECTIVE:
        found.append(_("合同 %(number)s 尚未生效（评审通过后方可登记销售）。",
                       number=contract.number))
    elif (values["customer"]
          and customer_service.name_key(values["customer"]) != contract.customer.name_key):
        found.append(_("「客户名称」与合同 %(number)s 的客户（%(customer)s）不符。",
                       number=contract.number, customer=contract.customer.name))
    return contract


def _existing(rows: list[dict], state) -> dict[tuple, list[SalesEntry]]:
    """{duplicate key: rows in the user's scope} the file's rows may repeat."""
    contracts = {v["contract_record"].id for v in rows}
    dates = {v["entry_date"] for v in rows}
    if not contracts:
        return {}
    query = (policy.scope(select(SalesEntry), state.actor, SalesEntry)
             .where(SalesEntry.contract_id.in_(contracts), SalesEntry.entry_date.in_(dates))
             .order_by(SalesEntry.id))
    found: dict[tuple, list[SalesEntry]] = {}
    for entry in db.session.scalars(query):
        key = _key(entry.contract_id, entry.entry_date, entry.product, entry.invoice_no)
        found.setdefault(key, []).append(entry)
    return found


def _new_data(values: dict) -> service.EntryData:
    """A new ledger row's values; a blank 类别 is a sale."""
    return service.EntryData(
        entry_date=values["entry_date"], kind=values["kind"] or EntryKind.SALE,
        contact_name=values["contact_name"], product=values["product"], spec=values["spec"],
        quantity=values["quantity"], unit_price=values["unit_price"], cost=values["cost"],
        invoice_no=values["invoice_no"], remarks=values["remarks"])
