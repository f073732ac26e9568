"""What the signer of a reversal (红冲) above the threshold reads: the payment or ledger row it
undoes, with the labels of its reversal page, its customer and contract, the original amount
and the reversal's in figures and in 人民币大写, and the reason, from the frozen snapshot."""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import Contract, Customer, EntryKind, Payment, SalesEntry, TermKind
from app.models.sales.ledger import PaymentMethod
from app.services.core.card_values import NONE, choice_label, customer_text, money
from app.services.core.money import rmb_upper
from app.services.core.record_kinds import Card, Figure

TEMPLATE = "sales/ledger/_card.html"


@dataclass(frozen=True)
class Origin:
    """The customer and contract of the row reversed, by number and name."""

    customer: str
    contract: str


def _origin_rows(model, ids: list[int]):
    """(row id, customer number, customer name, contract number, contract name) per row."""
    contract_of = Payment.contract_id if model is Payment else SalesEntry.contract_id
    query = (select(model.id, Customer.number, Customer.name, Contract.number, Contract.name)
             .select_from(model).outerjoin(Contract, Contract.id == contract_of))
    customer_of = Contract.customer_id if model is Payment else SalesEntry.customer_id
    return db.session.execute(query.outerjoin(Customer, Customer.id == customer_of)
                              .where(model.id.in_(ids))).all()


def origins(snapshots: list[dict]) -> dict[tuple[str, int], Origin]:
    """{(target, target id): Origin} of every row these snapshots reverse (a statement per
    kind of row)."""
    found: dict[tuple[str, int], Origin] = {}
    for model in (Payment, SalesEntry):
        ids = [s["target_id"] for s in snapshots if s["target"] == model.__name__]
        for row_id, *names in (_origin_rows(model, ids) if ids else []):
            found[(model.__name__, row_id)] = Origin(customer_text(*names[:2]),
                                                     customer_text(*names[2:]))
    return found


def _origin(snapshot: dict, found: dict[tuple[str, int], Origin]) -> Origin:
    return found.get((snapshot["target"], snapshot["target_id"]),
                     Origin(NONE, snapshot.get("contract") or NONE))


def _payment_fields(snapshot: dict) -> list[tuple[str, str]]:
    return [(str(_l("回款日期")), snapshot["paid_on"]),
            (str(_l("款项")), choice_label(TermKind, snapshot["term"])),
            (str(_l("付款方式")), choice_label(PaymentMethod, snapshot["method"])),
            (str(_l("凭证/流水号")), snapshot["reference"] or NONE)]


def _entry_fields(snapshot: dict) -> list[tuple[str, str]]:
    return [(str(_l("日期")), snapshot["entry_date"]),
            (str(_l("产品名称")), snapshot["product"] or NONE),
            (str(_l("类别")), choice_label(EntryKind, snapshot["kind"])),
            (str(_l("数量")), f"{Decimal(snapshot['quantity']).normalize():f}"),
            (str(_l("单价")), money(snapshot["unit_price"]))]


def _amounts(snapshot: dict) -> list[tuple[str, str, str]]:
    """(label, figures, 大写) of the original amount and of the reversal's."""
    return [(str(label), money(snapshot[key]), rmb_upper(Decimal(snapshot[key])))
            for label, key in ((_l("原金额"), "amount"), (_l("红冲金额"), "reversal_amount"))]


def _target(snapshot: dict) -> str:
    return str(_l("回款") if snapshot["target"] == "Payment" else _l("台账记录"))


class ReversalCard:
    """回款与台账红冲: the row reversed, the amounts and the reason."""

    def card(self, snapshot: dict, record) -> Card:
        origin = _origin(snapshot, origins([snapshot]))
        fields = [(str(_l("红冲对象")), _target(snapshot)), (str(_l("客户")), origin.customer),
                  (str(_l("合同编号")), origin.contract)]
        details = _payment_fields if snapshot["target"] == "Payment" else _entry_fields
        return Card(TEMPLATE, {"fields": fields + details(snapshot), "amounts": _amounts(snapshot),
                               "reason": snapshot["reason"]})

    def figures(self, snapshots: list[dict]) -> list[list[Figure]]:
        found = origins(snapshots)
        return [[Figure(str(_l("客户")), _origin(s, found).customer),
                 Figure(str(_l("红冲对象")), _target(s)),
                 Figure(str(_l("红冲金额")), money(s["reversal_amount"]))] for s in snapshots]
