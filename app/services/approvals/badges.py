"""The navigation badge and the home page's to-do: what waits for the user's signature
(counted no further than 99) and their unread notices, in one statement. The badge is polled by
every page as it loads and then every minute, so the figures are kept per user for a short
while and counted again as soon as anything they count changes.

What changes them: a write to an approval table (requests, assignments, steps, flows) or to the
notices. Each flush and commit that wrote one appends a byte to a stamp file in the instance
folder, whose size and time every worker process of this machine reads before using what it
kept (one stat, microseconds; the size tells apart two changes within one tick of the file
clock); a worker on another machine (several web nodes behind Redis) sees the change when the
figures run out (config BADGE_KEEP_SECONDS, 60; 0 counts every time, as the tests do, whose
database is replaced under the process between tests).
"""

import logging
import os
import time
from dataclasses import dataclass
from itertools import chain

from flask import current_app, has_app_context
from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState, Session

from app import policy
from app.extensions import db
from app.models import ApprovalRequest
from app.policy import Action
from app.services.core.notifications import unread_counting

CAP = 99
_KEPT_USERS = 10_000  # more users than this: forget them all (a bound, never reached in use)
_WATCHED = ("approval_", "notifications")
_CHANGED = "badges_changed"
_STAMP = "badges.stamp"
_STAMP_BYTES = 65536  # then the stamp file starts again from empty


@dataclass(frozen=True)
class Todo:
    waiting: int  # at most CAP
    capped: bool  # more than CAP wait
    unread: int


# (user id and rights) -> (stamp when counted, monotonic time it runs out, figures)
_kept: dict[tuple, tuple[tuple, float, Todo]] = {}
# Set when the stamp file cannot be written: then nothing is kept (a write must never fail
# for the badge's sake, nor the badge go stale).
_unstamped: list[OSError] = []


def todo(user) -> Todo:
    """The user's waiting requests (policy's inbox scope) and unread notices."""
    keep = current_app.config["BADGE_KEEP_SECONDS"]
    if not keep or _unstamped:
        return _count(user)
    key = (user.id, user.role, user.department_id, user.clearance, user.session_nonce)
    stamp, now = _stamp(), time.monotonic()  # the stamp first: a change after it counts
    kept = _kept.get(key)
    if kept is not None and kept[0] == stamp and kept[1] > now:
        return kept[2]
    figures = _count(user)
    if len(_kept) >= _KEPT_USERS:
        _kept.clear()
    _kept[key] = (stamp, now + keep, figures)
    return figures


def forget_all() -> None:
    """Drops every kept figure: the database was replaced under the process (a restore, or
    the tests' fresh database)."""
    _kept.clear()


def _count(user) -> Todo:
    waiting = (policy.scope(select(ApprovalRequest.id), user, ApprovalRequest, Action.APPROVE)
               .limit(CAP + 1).subquery())
    counted = select(func.count()).select_from(waiting).scalar_subquery()
    total, unread = db.session.execute(
        select(counted, unread_counting(user.id).scalar_subquery())).one()
    return Todo(min(total, CAP), total > CAP, unread)


def _stamp_path() -> str:
    return os.path.join(current_app.instance_path, _STAMP)


def _stamp() -> tuple[int, int]:
    """(time, size) of the stamp file: it changes with every change of the figures."""
    try:
        found = os.stat(_stamp_path())
    except FileNotFoundError:
        return (0, 0)
    return (found.st_mtime_ns, found.st_size)


def _touch_stamp() -> None:
    if not has_app_context():
        return
    try:
        with open(_stamp_path(), "ab") as stamp:
            if stamp.tell() >= _STAMP_BYTES:
                stamp.truncate(0)
            stamp.write(b".")
    except OSError as error:
        if not _unstamped:
            logging.getLogger(__name__).warning("badge figures no longer kept: %s", error)
            _unstamped.append(error)


def _watched(table) -> bool:
    return table is not None and table.name.startswith(_WATCHED)


def _note_flush(session: Session, _context) -> None:
    """Figures counted from now on include the flushed rows; so must those counted in other
    transactions once this one commits."""
    written = chain(session.new, session.dirty, session.deleted)
    if any(_watched(getattr(obj, "__table__", None)) for obj in written):
        session.info[_CHANGED] = True
        _touch_stamp()


def _note_statement(state: ORMExecuteState) -> None:
    """Bulk UPDATE / DELETE / INSERT statements (marking notices read, closing assignments)."""
    if ((state.is_update or state.is_delete or state.is_insert)
            and _watched(getattr(state.statement, "table", None))):
        state.session.info[_CHANGED] = True
        _touch_stamp()


def _note_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        _touch_stamp()


def _forget_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)


def watch_changes() -> None:
    """Listens to every session's writes (once per process)."""
    for name, listener in (("after_flush", _note_flush), ("do_orm_execute", _note_statement),
                           ("after_commit", _note_commit), ("after_rollback", _forget_rollback)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
