"""What a run covers (all, a department's, a record type's, a filing period's or chosen items,
never above its requester's clearance nor destroyed items, whose content is gone by design)
and the request that starts one."""

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Department, Level, User
from app.models.archive import (
    ArchiveCheckRun,
    ArchiveItem,
    ArchiveState,
    CheckScope,
    CheckTrigger,
)
from app.services.archive.checks import scheme
from app.services.core import audit
from app.services.core.errors import Refused
from app.services.core.record_kinds import filing_types
from app.timeutil import local_zone

MAX_SELECTION = 5000
_T = ArchiveItem.__table__


class CheckRefused(Refused):
    """A run that cannot start as asked (its scope is incomplete or names nothing)."""


@dataclass
class ScopeChoice:
    scope: CheckScope = CheckScope.ALL
    department_id: int | None = None
    record_type: str | None = None
    filed_from: date | None = None
    filed_to: date | None = None
    item_ids: list[int] = field(default_factory=list)


def request(choice: ScopeChoice, actor: User | None, trigger: CheckTrigger) -> ArchiveCheckRun:
    """A queued run over `choice` with the current scheme, audited, in the caller's transaction
    (enqueue it after the commit). Without an actor (the command line) it covers every level.
    Refuses a scope that lacks what it needs."""
    _validate(choice)
    version = scheme.current()
    run = ArchiveCheckRun(
        scheme_id=version.id, trigger=trigger, scope=choice.scope,
        department_id=choice.department_id if choice.scope == CheckScope.DEPARTMENT else None,
        record_type=choice.record_type if choice.scope == CheckScope.KIND else None,
        filed_from=choice.filed_from if choice.scope == CheckScope.PERIOD else None,
        filed_to=choice.filed_to if choice.scope == CheckScope.PERIOD else None,
        selection=json.dumps(sorted(set(choice.item_ids)))
        if choice.scope == CheckScope.SELECTION else None,
        max_level=actor.clearance if actor else Level.CONFIDENTIAL,
        requested_by_id=actor.id if actor else None, tallies="{}", findings="[]")
    db.session.add(run)
    db.session.flush()
    audit.record("archive_check_started", run, actor=actor, changes={
        "scope": choice.scope, "scheme": version.version, "items": len(choice.item_ids) or None})
    return run


def _validate(choice: ScopeChoice) -> None:
    if choice.scope == CheckScope.DEPARTMENT and (
            not choice.department_id or db.session.get(Department, choice.department_id) is None):
        raise CheckRefused(_("请选择要检测的部门。"), "department_id")
    if choice.scope == CheckScope.KIND and choice.record_type not in filing_types():
        raise CheckRefused(_("请选择要检测的记录类型。"), "record_type")
    if choice.scope == CheckScope.PERIOD:
        if not (choice.filed_from and choice.filed_to):
            raise CheckRefused(_("请填写归档期间的起止日期。"), "filed_from")
        if choice.filed_from > choice.filed_to:
            raise CheckRefused(_("归档期间的开始日期不能晚于结束日期。"), "filed_to")
    if choice.scope == CheckScope.SELECTION:
        if not choice.item_ids:
            raise CheckRefused(_("请填写要检测的档号。"), "numbers")
        if len(set(choice.item_ids)) > MAX_SELECTION:
            raise _too_many()


def _too_many() -> CheckRefused:
    return CheckRefused(_("一次最多选定 %(n)d 件档案。", n=MAX_SELECTION), "numbers")


def scope_clauses(run: ArchiveCheckRun) -> list:
    """The WHERE conditions on the items' table of the run's items."""
    clauses = [_T.c.state != ArchiveState.DESTROYED, _T.c.confidentiality <= run.max_level]
    if run.scope == CheckScope.DEPARTMENT:
        clauses.append(_T.c.department_id == run.department_id)
    elif run.scope == CheckScope.KIND:
        clauses.append(_T.c.record_type == run.record_type)
    elif run.scope == CheckScope.PERIOD:
        clauses += [_T.c.filed_at >= _utc_start(run.filed_from),
                    _T.c.filed_at < _utc_start(run.filed_to + timedelta(days=1))]
    elif run.scope == CheckScope.SELECTION:
        clauses.append(_T.c.id.in_(json.loads(run.selection or "[]")))
    return clauses


def _utc_start(day: date) -> datetime:
    """The stored (naive UTC) moment the company's local day begins."""
    return datetime.combine(day, time.min, local_zone()).astimezone(UTC).replace(tzinfo=None)


def items_by_number(numbers: list[str], viewer: User | None) -> tuple[list[int], list[str]]:
    """The ids of the items with these 档号 (within the viewer's clearance: others are unknown
    to them), and the numbers that name none; refuses more than MAX_SELECTION."""
    wanted = list(dict.fromkeys(n.strip() for n in numbers if n.strip()))
    if len(wanted) > MAX_SELECTION:
        raise _too_many()
    query = select(ArchiveItem.archive_number, ArchiveItem.id).where(
        ArchiveItem.archive_number.in_(wanted))
    if viewer is not None:
        query = query.where(ArchiveItem.confidentiality <= viewer.clearance)
    found = dict(db.session.execute(query).tuples().all())
    return list(found.values()), [n for n in wanted if n not in found]
