"""What a department may hand over (归档移交): for each fileable kind (services.core.record_kinds),
its records whose latest signed version is neither filed nor on a list still open, as the kind
selects them (FilingKind.eligible), within the user's data scope and clearance. The monthly
filing reads the same selection for one month, filed or not, so that its summary reconciles."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, exists, select

from app import policy
from app.extensions import db
from app.models import Level, User
from app.models.archive import ArchiveHandoverLine, ArchiveItem, HandoverLineStatus
from app.policy import Action
from app.services.core.record_kinds import filing_kind, kind_of

PICKER_LIMIT = 200
# A record on such a line is on its way to the archive already: it is not offered again.
OPEN_STATUSES = (HandoverLineStatus.PENDING, HandoverLineStatus.ACCEPTED)


@dataclass(frozen=True)
class Candidate:
    """A signed record version as a list names it; `filed_item_id` once that version is filed."""

    record_type: str
    record_id: int
    version: int
    signed_at: datetime
    title: str
    business_number: str
    level: Level
    filed_item_id: int | None = None


def _filed_items(record_type: str, sub) -> Select:
    """The item holding the row's version (none while it is not filed)."""
    return select(ArchiveItem.id).where(ArchiveItem.record_type == record_type,
                                        ArchiveItem.record_id == sub.c.record_id,
                                        ArchiveItem.record_version == sub.c.version)


def _on_open_list(record_type: str, sub):
    return exists().where(ArchiveHandoverLine.record_type == record_type,
                          ArchiveHandoverLine.record_id == sub.c.record_id,
                          ArchiveHandoverLine.record_version == sub.c.version,
                          ArchiveHandoverLine.status.in_(OPEN_STATUSES))


def offered(user: User, record_type: str, record_ids: list[int] | None = None,
            limit: int = PICKER_LIMIT) -> list[Candidate]:
    """The user's department's records of this kind that the user may see, signed, not filed
    and on no open list, the latest signature first: at most `limit`, only `record_ids` when
    given."""
    kind = filing_kind(record_type)
    scoped = policy.scope(kind.eligible(user.department_id, None, None), user, kind.model,
                          Action.VIEW)
    sub = scoped.subquery()
    query = (select(sub.c.record_id, sub.c.version, sub.c.signed_at)
             .where(~_filed_items(record_type, sub).exists(), ~_on_open_list(record_type, sub)))
    if record_ids is not None:
        query = query.where(sub.c.record_id.in_(record_ids))
    rows = db.session.execute(query.order_by(sub.c.signed_at.desc(), sub.c.record_id.desc())
                              .limit(limit)).all()
    return _candidates(record_type, rows)


def of_period(department_id: int, record_type: str, start: datetime,
              end: datetime) -> list[Candidate]:
    """Every record of the department of this kind whose latest version was signed in
    [start, end) (naive UTC), filed or not (the monthly filing acts for the department: no
    user's scope), in signing order."""
    sub = filing_kind(record_type).eligible(department_id, start, end).subquery()
    query = (select(sub.c.record_id, sub.c.version, sub.c.signed_at,
                    _filed_items(record_type, sub).scalar_subquery().label("item_id"))
             .order_by(sub.c.signed_at, sub.c.record_id))
    return _candidates(record_type, db.session.execute(query).all())


def _candidates(record_type: str, rows) -> list[Candidate]:
    """The rows as candidates, their records read in one query (titles, numbers, levels)."""
    if not rows:
        return []
    kind, filing = kind_of(record_type), filing_kind(record_type)
    model = filing.model
    records = {r.id: r for r in db.session.scalars(
        select(model).where(model.id.in_([row.record_id for row in rows])))}
    return [Candidate(record_type, row.record_id, row.version, row.signed_at,
                      kind.title(records[row.record_id])[:200],
                      filing.business_number(records[row.record_id])[:64],
                      kind.level(records[row.record_id]), getattr(row, "item_id", None))
            for row in rows]
