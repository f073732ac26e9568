"""Filtering the audit trail for the auditors' page, under the viewer's clearance.

An event about a record above the viewer's clearance is shown as an event (who, when, what
action, on which type of object) without the object's name, number, id or values, and no
filter on the object can match it: a viewer cannot find out which record it was about by
narrowing a search until a row appears or disappears.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, or_, select

from app.extensions import db
from app.models import AuditEvent, Level, User
from app.services.core import audit_labels
from app.services.core.audit import actor_label
from app.services.core.audit_changes import Reader
from app.services.core.loading import read_rows
from app.timeutil import local_zone

_LABELLED = re.compile(r".*\(([^()]{1,80})\)")  # 赵一 (sales1): the picker's label


@dataclass
class AuditFilters:
    actor_id: int | None = None
    action: str = ""
    object_type: str = ""
    object_id: int | None = None
    object_label: str = ""  # a name or number in the object's label
    date_from: date | None = None
    date_to: date | None = None


class ShownEvent(NamedTuple):
    """An event as a viewer may see it: `hidden_level` is set (and the object's id, label and
    changes are empty) when the event is about a record above the viewer's clearance. The
    action and the object's type come with their names (None / the code when unregistered),
    the changes as the lines people read. A tuple: a page makes fifty of them."""

    id: int
    at: datetime
    actor_name: str
    action: str
    action_label: str | None
    object_type: str | None
    object_type_label: str
    object_id: int | None
    object_label: str | None
    changes: list[str]
    ip: str | None = None
    hidden_level: Level | None = None

    def changes_text(self) -> str:
        return "; ".join(self.changes)


@dataclass(frozen=True)
class FilterChoices:
    """What the lists of the filters offer: the registered actions and types of object (the
    user is found by the picker as the auditor types: a company's users make no list)."""

    actions: list[tuple[str, str]]
    object_types: list[tuple[str, str]]


def _utc(day: date) -> datetime:
    """Local midnight of `day` as naive UTC, the way `at` is stored."""
    local = datetime.combine(day, time.min, tzinfo=local_zone())
    return local.astimezone(UTC).replace(tzinfo=None)


def cleared(clearance: Level) -> ColumnElement:
    """Events whose object the viewer may know: none classified, or classified at most
    `clearance`."""
    return or_(AuditEvent.object_level.is_(None), AuditEvent.object_level <= clearance)


def filtered_events(query: Select, f: AuditFilters, clearance: Level) -> Select:
    """The events matching `f`; the filters on the object match only events the viewer may
    know the object of."""
    if f.actor_id is not None:
        query = query.where(AuditEvent.actor_id == f.actor_id)
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.object_type:
        query = query.where(AuditEvent.object_type == f.object_type)
    if f.object_id is not None:
        query = query.where(AuditEvent.object_id == f.object_id, cleared(clearance))
    if f.object_label:
        query = query.where(AuditEvent.object_label.icontains(f.object_label, autoescape=True),
                            cleared(clearance))
    if f.date_from:
        query = query.where(AuditEvent.at >= _utc(f.date_from))
    if f.date_to:
        query = query.where(AuditEvent.at < _utc(f.date_to + timedelta(days=1)))
    return query


# What the trail's page reads of an event (not the hash chain's columns).
PAGE_COLUMNS = (AuditEvent.id, AuditEvent.at, AuditEvent.actor_name, AuditEvent.action,
                AuditEvent.object_type, AuditEvent.object_id, AuditEvent.object_label,
                AuditEvent.changes, AuditEvent.ip, AuditEvent.object_level)


def shown(events: list, clearance: Level) -> list[ShownEvent]:
    """The events (entities, or rows of PAGE_COLUMNS) as the viewer may see them (see
    ShownEvent)."""
    reader = Reader()
    return [_shown(e, clearance, reader) for e in events]


def _shown(e, clearance: Level, reader: Reader) -> ShownEvent:
    hidden = e.object_level is not None and e.object_level > clearance
    names = reader.names
    return ShownEvent(
        e.id, e.at, e.actor_name, e.action, names.actions.get(e.action),
        e.object_type, names.object_types.get(e.object_type, e.object_type or ""),
        None if hidden else e.object_id, None if hidden else e.object_label,
        [] if hidden else reader.lines(e.object_type, e.changes), e.ip,
        e.object_level if hidden else None)


def filter_choices() -> FilterChoices:
    """The lists' options (no statement: the domains registered them)."""
    return FilterChoices(audit_labels.actions(), audit_labels.object_types())


ACTORS_SHOWN = 10
_ACTORS = select(User.id, User.full_name, User.username, User.employee_no)


def actors_matching(typed: str, limit: int = ACTORS_SHOWN) -> tuple[list, bool]:
    """The users whose name, username or employee number contains `typed` (everyone when it
    is blank), former users too (their events stay), by name: the first `limit` of them and
    whether more match."""
    typed = typed.strip()[:100]
    query = _ACTORS
    if typed:
        query = query.where(or_(*(column.icontains(typed, autoescape=True) for column in
                                  (User.full_name, User.username, User.employee_no))))
    rows = read_rows(query.order_by(User.full_name, User.username, User.id).limit(limit + 1))
    return rows[:limit], len(rows) > limit


def actor_by_id(user_id: int) -> str | None:
    """The label of the user the picker chose; None for an id no user has (the filter then
    matches nothing, as it always did)."""
    users = read_rows(_ACTORS.where(User.id == user_id))
    return actor_label(users[0]) if users else None


def actor_named(typed: str) -> tuple[int, str] | None:
    """(id, label) of the user typed without the picker's script: a username, an employee
    number, a name only one user has, or the picker's own label "赵一 (sales1)"; None when no
    one user is named so."""
    labelled = _LABELLED.fullmatch(typed)
    typed = labelled.group(1) if labelled else typed
    users = read_rows(_ACTORS.where(or_(User.username == typed, User.employee_no == typed,
                                        User.full_name == typed)).limit(2))
    return (users[0].id, actor_label(users[0])) if len(users) == 1 else None


def export_headers() -> list[str]:
    return [_("序号"), _("时间"), _("操作人"), _("操作"), _("对象类型"), _("对象"),
            _("变更内容"), _("来源 IP")]


def export_rows(query: Select, clearance: Level, batch: int = 500) -> Iterator[list]:
    """The filtered events as export rows, newest first, read in batches; under the same
    clearance rule as the page."""
    reader = Reader()
    rows = db.session.scalars(query.order_by(AuditEvent.id.desc())
                              .execution_options(yield_per=batch))
    for event in rows:
        e = _shown(event, clearance, reader)
        yield [e.id, _local(e.at), e.actor_name, e.action_label or e.action,
               e.object_type_label, _object_text(e), e.changes_text(), e.ip]


def _object_text(e: ShownEvent) -> str:
    if e.hidden_level:
        return _("某%(level)s级记录", level=e.hidden_level.label)
    return e.object_label or (f"#{e.object_id}" if e.object_id else "")


def _local(at: datetime) -> datetime:
    """Stored naive UTC as the company's local time, without a zone (as spreadsheets take it)."""
    return at.replace(tzinfo=UTC).astimezone(local_zone()).replace(tzinfo=None)
