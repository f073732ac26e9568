"""What a contract's signer reads (合同评审, 合同变更): the frozen snapshot with the labels of the
contract page, the product lines, the payment terms and the amounts in figures and in 人民币大写;
for a change, the 申请单's fields and the old → new rows against the version it changes."""

import json
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import ChangeBasis, ChangeInitiator, RecordVersion, TermKind
from app.services.core.money import rmb_upper
from app.services.core.record_kinds import Card, Figure
from app.services.customers.cards import customer_names
from app.services.sales.contracts.history import diff, line_views, values_rows
from app.services.sales.contracts.review import RECORD_TYPE

TEMPLATE = "sales/contract/_card.html"


def _money(value) -> str:
    return f"¥{Decimal(value):,.2f}"


def contract_context(values: dict) -> dict:
    """A contract's signed values for display: fields, lines, terms and the totals."""
    total = Decimal(values["total_amount"])
    terms = [{"kind": str(TermKind(t["kind"]).label), "amount": Decimal(t["amount"]),
              "due_date": t["due_date"]} for t in values["terms"]]
    terms_total = sum((t["amount"] for t in terms), Decimal("0"))
    return {"fields": values_rows(values), "lines": line_views(values["lines"]), "total": total,
            "amount_words": rmb_upper(total), "terms": terms, "terms_total": terms_total,
            "terms_words": rmb_upper(terms_total)}


class ContractCard:
    """合同评审: the contract as submitted."""

    def card(self, snapshot: dict, record) -> Card:
        return Card(TEMPLATE, {"number": snapshot["number"], **contract_context(snapshot)})

    def figures(self, snapshots: list[dict]) -> list[list[Figure]]:
        names = customer_names({s["customer_id"] for s in snapshots})
        party, amount = str(_l("签约单位")), str(_l("合同金额"))  # translated once a page
        return [[Figure(party, names.get(s["customer_id"], "—")),
                 Figure(amount, _money(s["total_amount"]))] for s in snapshots]


def _base_values(contract_id: int, base_version: int) -> dict:
    version = db.session.scalar(select(RecordVersion).where(
        RecordVersion.record_type == RECORD_TYPE, RecordVersion.record_id == contract_id,
        RecordVersion.number == base_version))
    return json.loads(version.snapshot) if version else {}


def _application(snapshot: dict) -> list[tuple[str, str]]:
    """The 申请单's own fields (表5-15) as signed."""
    basis = [str(ChangeBasis(code).label) for code in (snapshot["basis"] or "").split(",") if code]
    if snapshot.get("basis_other"):
        basis.append(snapshot["basis_other"])
    return [(str(_l("变更内容")), snapshot["content"]),
            (str(_l("提出更改单位")), str(ChangeInitiator(snapshot["initiated_by"]).label)),
            (str(_l("变更依据")), "、".join(basis) or "—"),
            (str(_l("备注")), snapshot.get("remarks") or "—")]


class ContractChangeCard:
    """合同变更: the application, the contract as it would become, and what changes."""

    def card(self, snapshot: dict, record) -> Card:
        proposed = snapshot["proposed"]
        base = _base_values(snapshot["contract_id"], snapshot["base_version"])
        context = {"number": base.get("number", ""), "application": _application(snapshot),
                   "base_version": snapshot["base_version"], **contract_context(proposed)}
        return Card(TEMPLATE, context, changes=diff(base, proposed))

    def figures(self, snapshots: list[dict]) -> list[list[Figure]]:
        names = customer_names({s["proposed"]["customer_id"] for s in snapshots})
        party, amount = str(_l("签约单位")), str(_l("变更后合同金额"))  # translated once a page
        return [[Figure(party, names.get(s["proposed"]["customer_id"], "—")),
                 Figure(amount, _money(s["proposed"]["total_amount"]))] for s in snapshots]
