"""What the signer of a change of owner reads (客户归属变更, 离职交接): the customer by number and
name, the old and the new owner by name and employee number, and why, from the frozen
snapshot; the change of owner (and of department) as old → new rows."""

import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import RecordVersion, User
from app.services.core.card_values import (
    NONE,
    ChangeRow,
    customers_by_id,
    people_by_id,
    person,
    users_by_id,
)
from app.services.core.record_kinds import Card, Figure

TEMPLATE = "sales/ownership/_card.html"


def _department(user: User | None) -> str:
    return str(user.department.label) if user is not None else NONE


def owner_changes(old: User | None, new: User | None) -> list[ChangeRow]:
    """负责人 old → new, and 部门 when the customer changes department with its owner."""
    rows = [ChangeRow(str(_l("负责人")), person(old), person(new))]
    if _department(old) != _department(new):
        rows.append(ChangeRow(str(_l("部门")), _department(old), _department(new)))
    return rows


def _customer(snapshot: dict, customers: dict[int, str] | None = None) -> str:
    """The customer by number and name (`customers`: loaded for many rows at once)."""
    if customers is None:
        customers = customers_by_id([snapshot["customer_id"]])
    return customers.get(snapshot["customer_id"], snapshot["customer_number"])


class TransferFigures:
    """The inbox row of a change of owner: the customer and its new owner."""

    def figures(self, snapshots: list[dict]) -> list[list[Figure]]:
        customers = customers_by_id(s["customer_id"] for s in snapshots)
        people = people_by_id(s["to_owner_id"] for s in snapshots)
        return [[Figure(str(_l("客户")), _customer(s, customers)),
                 Figure(str(_l("新负责人")), people.get(s["to_owner_id"], NONE))]
                for s in snapshots]


class TransferCard(TransferFigures):
    """客户归属变更: a salesperson's request for a colleague's customer."""

    def card(self, snapshot: dict, record) -> Card:
        people = users_by_id((snapshot["from_owner_id"], snapshot["to_owner_id"]))
        old, new = people.get(snapshot["from_owner_id"]), people.get(snapshot["to_owner_id"])
        fields = [(str(_l("客户")), _customer(snapshot)),
                  (str(_l("原负责人")), person(old)),
                  (str(_l("申请人（新负责人）")), person(new)),
                  (str(_l("申请理由")), snapshot["reason"] or NONE)]
        warning = None if snapshot["transferable"] else str(_l(
            "提交时申请人不能接手该客户或其全部销售记录（涉密级别不足，或客户正在审核、变更中）。"))
        return Card(TEMPLATE, {"fields": fields, "warning": warning},
                    changes=owner_changes(old, new))


def _owner_before(snapshot: dict) -> int | None:
    """The owner in the customer's signed version before the one the hand-over attests (its
    result_hash): the departed owner, as signed."""
    after, before = aliased(RecordVersion), aliased(RecordVersion)
    stored = db.session.scalar(
        select(before.snapshot)
        .join(after, (after.record_type == before.record_type)
              & (after.record_id == before.record_id) & (after.number == before.number + 1))
        .where(after.record_type == "Customer", after.record_id == snapshot["customer_id"],
               after.content_hash == snapshot["result_hash"])
        .order_by(after.number).limit(1))
    return json.loads(stored)["owner_id"] if stored else None


class HandoverCard(TransferFigures):
    """离职交接: the manager's decision that a departed owner's customer goes to a colleague."""

    def card(self, snapshot: dict, record) -> Card:
        departed_id = _owner_before(snapshot)
        people = users_by_id((departed_id, snapshot["to_owner_id"]))
        old, new = people.get(departed_id), people.get(snapshot["to_owner_id"])
        fields = [(str(_l("客户")), _customer(snapshot)),
                  (str(_l("原负责人（离职）")), person(old)),
                  (str(_l("新负责人")), person(new)),
                  (str(_l("交接范围")), str(_l("该客户及其合同、回款、台账、拜访和转介绍记录")))]
        return Card(TEMPLATE, {"fields": fields, "warning": None},
                    changes=owner_changes(old, new))
