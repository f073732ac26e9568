"""Keeps the per-day figures (models/service/statistics.py) exact with the records, never
lagging: every flush that inserts, changes or deletes a counted row (records, parts,
follow-ups, return visits, a customer's type) marks the days it touches, and before the commit
(or before a statistics read in the same transaction, `settle`) those days are recomputed from
the live rows, each a GROUP BY over one day's rows in the same transaction (recount.py), with
the monthly rows of their months. ORM bulk UPDATE/DELETE statements on the counted models
mark the days of the rows they match (do_orm_execute).

Paths that write the counted tables without the ORM (the SLA recompute's driver executemany,
the visit schedule's Core statements) call mark_record_days / mark_visit_days themselves. Marks
live in the session's info; a rolled-back savepoint marks again what the transaction touched
(its recompute was undone with it), the end of the outer transaction forgets them all. On
PostgreSQL a day's recompute holds a transaction-level advisory lock on the day, so two
transactions recomputing the same day follow each other (the second sees the first's rows)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import chain

from sqlalchemy import Connection, event, func, inspect, select, true
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Customer
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import ServicePart, ServiceRecord
from app.models.service.visits import ReturnVisit
from app.services.service.statistics import recount

KEY = "service.statistics.days"
CHUNK = 500  # ids per IN list
LOCK_SPACE = 0x5ECD  # advisory lock keys: (LOCK_SPACE << 32) + the day's ordinal
RECORD_DIMENSIONS = ("service_at", "department_id", "confidentiality", "customer_id",
                     "service_type", "after_sales_kind", "status", "rework_of_id",
                     "response_breached", "resolution_breached", "satisfaction")


@dataclass
class Marks:
    """What the transaction touched: record days (records, their parts, follow-ups), visit
    days, and records or customers whose days are looked up at the recompute."""

    days: set = field(default_factory=set)
    visit_days: set = field(default_factory=set)
    record_ids: set = field(default_factory=set)  # their 服务时间 day and follow-up days
    customer_ids: set = field(default_factory=set)  # their records', as above
    touched: set = field(default_factory=set)  # ("r"|"v", day) recomputed in this transaction

    def pending(self) -> bool:
        return bool(self.days or self.visit_days or self.record_ids or self.customer_ids)


def marks(session: Session) -> Marks:
    """The session's marks (made on first use)."""
    return session.info.setdefault(KEY, Marks())


def mark_record_days(session: Session, moments) -> None:
    """Days whose record figures changed without the ORM (moments: 服务时间 values)."""
    marks(session).days.update(_as_day(moment) for moment in moments if moment is not None)


def mark_visit_days(session: Session, days) -> None:
    """Return visit days (due or visited) written without the ORM."""
    marks(session).visit_days.update(_as_day(day) for day in days if day is not None)


def mark_visits_where(conn: Connection, *criteria) -> None:
    """The days of the return visits matching `criteria`, read on `conn` before a Core UPDATE
    of them there (the application's session is marked)."""
    v = ReturnVisit
    rows = conn.execute(select(v.due_date, v.visited_at).where(*criteria))
    mark_visit_days(db.session, chain.from_iterable(rows))


def _as_day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _values(obj, name: str) -> list:
    """The attribute's values in this flush: new, replaced and unchanged."""
    history = inspect(obj).attrs[name].history
    return [*history.added, *history.deleted, *history.unchanged]


def _changed(obj, names) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _mark_object(m: Marks, obj, state: str) -> None:
    """Marks what one flushed object touches (`state`: new, dirty or deleted)."""
    if isinstance(obj, ServiceRecord):
        m.days.update(_as_day(v) for v in _values(obj, "service_at") if v is not None)
        if state == "dirty" and _changed(obj, RECORD_DIMENSIONS):
            m.record_ids.add(obj.id)
    elif isinstance(obj, ServicePart):
        m.record_ids.update(v for v in _values(obj, "record_id") if v is not None)
    elif isinstance(obj, ServiceFollowUp):
        m.days.update(_as_day(v) for v in _values(obj, "communicated_at") if v is not None)
    elif isinstance(obj, ReturnVisit):
        m.visit_days.update(_as_day(v) for v in chain(_values(obj, "due_date"),
                                                      _values(obj, "visited_at"))
                            if v is not None)
    elif isinstance(obj, Customer) and state == "dirty" and _changed(obj, ("type",)):
        m.customer_ids.add(obj.id)


def _after_flush(session: Session, _context) -> None:
    """Marks the days the flush touched (the attribute history is still the flush's here)."""
    m = marks(session)
    for state, objs in (("new", session.new), ("dirty", session.dirty),
                        ("deleted", session.deleted)):
        for obj in objs:
            _mark_object(m, obj, state)


def _before_commit(session: Session) -> None:
    """Flushes what is pending and recomputes the marked days before the commit."""
    if session.info.get(KEY) is not None or session.new or session.dirty or session.deleted:
        settle(session)


def _after_rollback(session: Session) -> None:
    """A savepoint's rollback undid its recomputes too: mark again what was recomputed."""
    m = session.info.get(KEY)
    if m is not None:
        m.days.update(day for kind, day in m.touched if kind == "r")
        m.visit_days.update(day for kind, day in m.touched if kind == "v")


def _after_transaction_end(session: Session, transaction) -> None:
    """The outer transaction is over (committed or rolled back): nothing is pending."""
    if transaction.parent is None and not transaction.nested:
        session.info.pop(KEY, None)


# ORM bulk UPDATE/DELETE (session.execute(update(Model)…)) bypasses the flush: the days of
# the rows it matches are marked before it runs, and again after it when it moves them.
BULK = {ServiceRecord: (ServiceRecord.service_at,), ServicePart: (ServicePart.record_id,),
        ServiceFollowUp: (ServiceFollowUp.communicated_at,),
        ReturnVisit: (ReturnVisit.due_date, ReturnVisit.visited_at)}
UNCOUNTED = {"version", "updated_at", "next_follow_up_due", "handler_id", "sla_computed_at",
             "response_due", "resolution_due", "responded_at", "sla_policy_id", "assignee_id",
             "reason"}


def _set_columns(state) -> set:
    """The column names an UPDATE sets (its values, or a bulk-by-key's parameter keys)."""
    names = {getattr(key, "key", key) for key in (state.statement._values or {})}
    params = state.parameters
    for row in params if isinstance(params, list) else [params or {}]:
        names.update(row)
    return names


def _bulk_marks(session: Session, model, ids_days: list) -> None:
    m = marks(session)
    for _id, *values in ids_days:
        if model is ServicePart:
            m.record_ids.update(values)
        elif model is ReturnVisit:
            mark_visit_days(session, values)
        else:
            m.days.update(_as_day(value) for value in values if value is not None)
    if model is ServiceRecord:
        m.record_ids.update(row[0] for row in ids_days)


def _orm_execute(state):
    """Marks the days an ORM bulk UPDATE or DELETE of a counted model touches."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return None
    model = state.bind_mapper.class_
    if model not in BULK or (state.is_update and _set_columns(state) <= UNCOUNTED):
        return None
    where = state.statement.whereclause
    if isinstance(state.parameters, list):  # a bulk UPDATE by primary key: keys in the rows
        where = model.id.in_([row["id"] for row in state.parameters])
    elif where is None:
        where = true()
    connection = state.session.connection()
    before = connection.execute(select(model.id, *BULK[model]).where(where)).all()
    _bulk_marks(state.session, model, before)
    if not state.is_update or not before:
        return None
    result = state.invoke_statement()
    ids = [row[0] for row in before]
    for chunk in _chunks(set(ids)):
        _bulk_marks(state.session, model, connection.execute(
            select(model.id, *BULK[model]).where(model.id.in_(chunk))).all())
    return result


def install() -> None:
    """Listens to every session (idempotent: plug_in may run once per app)."""
    for name, listener in (("after_flush", _after_flush), ("before_commit", _before_commit),
                           ("do_orm_execute", _orm_execute),
                           ("after_rollback", _after_rollback),
                           ("after_transaction_end", _after_transaction_end)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def settle(session: Session) -> None:
    """Flushes, then recomputes every marked day; the summary then equals the live rows as
    this transaction sees them."""
    session.flush()
    m = marks(session)
    if not m.pending():
        return
    days = set(m.days) | _days_of_records(session, m.record_ids, m.customer_ids)
    visit_days = set(m.visit_days)
    m.days.clear(), m.visit_days.clear(), m.record_ids.clear(), m.customer_ids.clear()
    _lock(session, days | visit_days)
    for start, end in _runs(days):
        recount.recompute(session, start, end)
    for start, end in _runs(visit_days):
        recount.recompute_visits(session, start, end)
    m.touched.update(chain((("r", d) for d in days), (("v", d) for d in visit_days)))


def _days_of_records(session: Session, record_ids: set, customer_ids: set) -> set:
    """The 服务时间 days and follow-up days of these records and of these customers' records."""
    found: set = set()
    r, f = ServiceRecord, ServiceFollowUp
    conditions = [r.id.in_(chunk) for chunk in _chunks(record_ids)]
    conditions += [r.customer_id.in_(chunk) for chunk in _chunks(customer_ids)]
    for condition in conditions:
        found.update(session.scalars(select(r.service_at).where(condition)))
        found.update(session.scalars(select(f.communicated_at)
                                     .join(r, r.id == f.record_id).where(condition)))
    return {_as_day(value) for value in found}


def _chunks(ids: set) -> list[list]:
    ordered = sorted(ids)
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def _runs(days: set) -> list[tuple[date, date]]:
    """Consecutive days as (first, day after the last) ranges."""
    runs: list = []
    for day in sorted(days):
        if runs and runs[-1][1] == day:
            runs[-1][1] = day + timedelta(days=1)
        else:
            runs.append([day, day + timedelta(days=1)])
    return [tuple(run) for run in runs]


def _lock(session: Session, days: set) -> None:
    """PostgreSQL: the days' advisory locks, in order (no deadlock between two recomputes)."""
    if not days or session.get_bind().dialect.name != "postgresql":
        return
    for day in sorted(days):
        session.execute(select(func.pg_advisory_xact_lock((LOCK_SPACE << 32) + day.toordinal())))


def rebuild(session: Session) -> int:
    """Recomputes the whole summary from scratch (recount.rebuild); the days it spans."""
    return recount.rebuild(session)
