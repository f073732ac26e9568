"""What the signers of a disposal list read: the list's department, appraisal and items (档号,
kind, business number from the signed snapshot; title, retention and expiry as the catalogue
has them now), each with the keep decision a reviewer may have made since, and the link to
the list's page where they keep an item."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.archive import ArchiveItem, DisposalEntry, EntryDecision
from app.services.core.audit_labels import object_type_label as kind_label
from app.services.core.card_values import NONE, departments_by_id
from app.services.core.record_kinds import Card, Figure

TEMPLATE = "archive/disposals/_card.html"


@dataclass(frozen=True)
class CardRow:
    archive_number: str
    kind: str
    business_number: str
    title: str
    retention: str
    expiry: date | None
    kept_by: str | None  # who decided to keep it
    keep_reason: str | None


def _kept(disposal_id: int | None) -> dict[int, tuple[str, str]]:
    """{item id: (who kept it, why)} of the list's kept entries."""
    if disposal_id is None:
        return {}
    rows = db.session.execute(
        select(DisposalEntry.item_id, User.full_name, DisposalEntry.keep_reason)
        .join(User, User.id == DisposalEntry.decided_by_id)
        .where(DisposalEntry.disposal_id == disposal_id,
               DisposalEntry.decision == EntryDecision.KEEP))
    return {item_id: (name, reason) for item_id, name, reason in rows}


def card_rows(snapshot: dict, disposal_id: int | None) -> list[CardRow]:
    signed = snapshot["items"]
    items = {item.id: item for item in db.session.scalars(
        select(ArchiveItem).where(ArchiveItem.id.in_([s["item"] for s in signed])))}
    kept = _kept(disposal_id)
    rows = []
    for entry in signed:
        item = items.get(entry["item"])
        keeper, reason = kept.get(entry["item"], (None, None))
        rows.append(CardRow(entry["archive_number"], kind_label(entry["record_type"]),
                            entry["business_number"], item.title if item else NONE,
                            item.retention_code if item else NONE,
                            item.expiry_date if item else None, keeper, reason))
    return rows


class DisposalCard:
    """档案销毁清单: what would be destroyed, and what a reviewer kept."""

    def card(self, snapshot: dict, record) -> Card:
        department_id = snapshot["department_id"]
        department = departments_by_id([department_id]).get(department_id, NONE)
        rows = card_rows(snapshot, record.id if record is not None else None)
        fields = [(str(_l("清单编号")), snapshot["number"]), (str(_l("档案所属部门")), department),
                  (str(_l("件数")), str(len(rows))),
                  (str(_l("鉴定意见")), snapshot["appraisal"] or NONE)]
        return Card(TEMPLATE, {"fields": fields, "rows": rows,
                               "disposal_id": record.id if record is not None else None})

    def figures(self, snapshots: list[dict]) -> list[list[Figure]]:
        departments = departments_by_id(s["department_id"] for s in snapshots)
        return [[Figure(str(_l("档案所属部门")), departments.get(s["department_id"], NONE)),
                 Figure(str(_l("件数")), str(len(s["items"])))] for s in snapshots]
