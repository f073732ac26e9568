"""The recompute job: after a calendar, policy or on-site profile change, every open record's
stored deadlines are computed again, in id order and committed batches, with the run's
progress (SlaRecomputeRun) committed with each batch. Idempotent (the same inputs give the
same columns; unchanged rows are not written) and resumable (a run continues after its
last_record_id). Records whose history changes are refreshed at once by the records service
(deadlines.refresh); this job is for the changes that touch many records."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models.base import utcnow
from app.models.service.records import ServiceRecord
from app.models.service.sla import (
    ContractSlaProfile,
    RecomputeStatus,
    SlaKind,
    SlaPolicy,
    SlaRecomputeRun,
)
from app.services.service.sla import clock, deadlines
from app.services.service.sla.clock import COMPLETED
from app.services.service.statistics import days as statistics_days

BATCH = 2000
STORED = ("sla_policy_id", "responded_at", "response_due", "resolution_due",
          "response_breached", "resolution_breached", "onsite_due", "onsite_breached")
_queue: Callable[[int], object] | None = None
_T = ServiceRecord.__table__
# Open (OPEN_STATUSES) said as "not completed", so that no planner walks the status index and
# sorts every open record for each batch: the batches walk the primary key.
_OPEN = _T.c.status.not_in([s.value for s in COMPLETED])
WRITTEN = (*STORED, "sla_computed_at")


def request(reason: str, actor_id: int | None = None) -> SlaRecomputeRun:
    """A new run, in the caller's transaction, for the caller to enqueue after its commit.
    Each change gets its own run (a run reads the settings when it starts); a second pass
    over unchanged settings writes nothing."""
    run = SlaRecomputeRun(reason=reason[:200], requested_by_id=actor_id, total=0, processed=0,
                          last_record_id=0, status=RecomputeStatus.QUEUED)
    db.session.add(run)
    db.session.flush()
    return run


def use_queue(task: Callable[[int], object]) -> None:
    """The job queue's task for runs (the department's pages register app.jobs' one: the
    service layer does not import the job module, which builds the whole application)."""
    global _queue
    _queue = task


def enqueue(run_id: int) -> None:
    """Hands the run to the job queue after the caller's commit (no queue registered, as in a
    script: runs it here)."""
    if _queue is None:
        run(run_id)
    else:
        _queue(run_id)


def start(reason: str, actor_id: int | None = None) -> int:
    """Requests a run, commits and enqueues it (for callers outside a form's transaction)."""
    run_id = request(reason, actor_id).id
    db.session.commit()
    enqueue(run_id)
    return run_id


def on_calendar_change() -> None:
    """worktime.on_change subscriber: the working calendar changed, recompute."""
    start("工作日历变更")


def latest() -> SlaRecomputeRun | None:
    """The most recent run (the policy page shows its progress)."""
    return db.session.scalars(select(SlaRecomputeRun)
                              .order_by(SlaRecomputeRun.id.desc())).first()


def unfinished() -> SlaRecomputeRun | None:
    """The oldest run that is queued, running or failed (to resume)."""
    return db.session.scalars(select(SlaRecomputeRun).where(
        SlaRecomputeRun.status != RecomputeStatus.DONE).order_by(SlaRecomputeRun.id)).first()


def run(run_id: int, batch: int = BATCH) -> None:
    """Runs (or resumes) the run: batches until no open record is left after its cursor."""
    job = db.session.get(SlaRecomputeRun, run_id)
    if job is None or job.status == RecomputeStatus.DONE:
        return
    if job.status != RecomputeStatus.RUNNING or not job.total:
        job.total = job.processed + _open_count(job.last_record_id)
    job.status, job.error = RecomputeStatus.RUNNING, None
    db.session.commit()
    try:
        table = PolicyTable.load()
        while step(job, table, batch):
            db.session.commit()
    except Exception as error:
        db.session.rollback()
        job = db.session.get(SlaRecomputeRun, run_id)
        job.status, job.error = RecomputeStatus.FAILED, str(error)[:2000]
        db.session.commit()
        raise
    job.status, job.finished_at = RecomputeStatus.DONE, utcnow()
    job.total = max(job.total, job.processed)
    db.session.commit()


def _open_count(after_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(_T).where(
        _OPEN, _T.c.id > after_id))


class PolicyTable:
    """Every policy in memory, for a run: standard ones by (type, priority), all by id."""

    def __init__(self, policies: list[SlaPolicy]):
        self.calendars: dict = {}  # remembered calendars, for the whole run
        self.by_id = {p.id: deadlines.targets_of(p) for p in policies}
        self.standard = {(p.service_type.value, p.priority.value): deadlines.targets_of(p)
                         for p in policies if p.kind == SlaKind.STANDARD}

    @classmethod
    def load(cls) -> "PolicyTable":
        return cls(list(db.session.scalars(select(SlaPolicy))))

    def targets(self, service_type: str, priority: str, profile_id: int | None
                ) -> clock.Targets:
        """A contract's profile first, then the standard policy, then the defaults."""
        if profile_id is not None and profile_id in self.by_id:
            return self.by_id[profile_id]
        found = self.standard.get((service_type, priority))
        return found or deadlines.default_targets(priority)


def step(job: SlaRecomputeRun, table: PolicyTable, batch: int) -> bool:
    """One batch after the run's cursor: computed, changed rows written, progress noted.
    False when there was nothing left."""
    rows = db.session.execute(
        select(_T.c.id, _T.c.service_type, _T.c.after_sales_kind, _T.c.priority,
               _T.c.contract_id, _T.c.service_at, _T.c.created_at, _T.c.expected_at,
               _T.c.arrived_at, *(_T.c[name] for name in STORED))
        .where(_OPEN,
               _T.c.id > job.last_record_id)
        .order_by(_T.c.id).limit(batch)).all()
    if not rows:
        return False
    changed = compute_rows(rows, table, deadlines.local_wall_clock())
    if changed:
        write(changed, rows)
    job.processed += len(rows)
    job.last_record_id = rows[-1].id
    return True


def compute_rows(rows, table: PolicyTable, now: datetime) -> list[dict]:
    """The new stored values (WRITTEN, then the id) of the rows whose values changed."""
    history = deadlines.load_transitions((), (rows[0].id, rows[-1].id))
    profiles = _profiles({row.contract_id for row in rows} - {None})
    stamp = utcnow()
    changed = []
    for row in rows:
        targets = table.targets(row.service_type, row.priority, profiles.get(row.contract_id))
        new = deadlines.values(deadlines.compute(row, history.get(row.id, []), targets, now,
                                                 table.calendars))
        if any(getattr(row, name) != value for name, value in new.items()):
            changed.append((*new.values(), stamp, row.id))
    return changed


def write(changed: list[tuple], rows) -> None:
    """One UPDATE per changed row through the driver's executemany: 200,000 rows go through
    SQLAlchemy's per-row parameter handling far slower than through the driver itself.
    SQLite stores datetimes as SQLAlchemy's text form, given here the same way. `rows` are
    the records as read (id, service_at and the breach flags before).

    The statistics count the response and resolution breach flags by 服务时间 day: only the
    days of rows whose counted flags flip recount before the commit (a new deadline alone
    changes no figure, nor does the on-site flag, which they do not count; recounting every
    changed row's days made each batch recount most of the year)."""
    connection = db.session.connection()
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    assignments = ", ".join(f"{name} = {marker}" for name in WRITTEN)
    sql = f"UPDATE {_T.name} SET {assignments} WHERE id = {marker}"  # noqa: S608 (constant names)
    if connection.dialect.name == "sqlite":
        changed = [_sqlite_row(row) for row in changed]
    connection.exec_driver_sql(sql, changed)
    statistics_days.mark_record_days(db.session, breach_flip_days(rows, changed))


_FLAGS = slice(WRITTEN.index("response_breached"), WRITTEN.index("resolution_breached") + 1)


def breach_flip_days(rows, changed: list[tuple]) -> set:
    """The 服务时间 of the rows whose breach flags the new values change."""
    before = {row.id: row for row in rows}
    return {before[new[-1]].service_at for new in changed
            if tuple(new[_FLAGS]) != (before[new[-1]].response_breached,
                                      before[new[-1]].resolution_breached)}


def _sqlite_row(row: tuple) -> tuple:
    """A row of WRITTEN values as the SQLite dialect stores them (datetimes as text with
    microseconds)."""
    return tuple(value.isoformat(" ", "microseconds") if isinstance(value, datetime) else value
                 for value in row)


def _profiles(contract_ids: set[int]) -> dict[int, int]:
    """contract id → its on-site profile's policy id."""
    if not contract_ids:
        return {}
    return dict(db.session.execute(select(ContractSlaProfile.contract_id,
                                          ContractSlaProfile.policy_id)
                                   .where(ContractSlaProfile.contract_id.in_(contract_ids)))
                .tuples().all())
