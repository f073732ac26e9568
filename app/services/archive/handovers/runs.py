"""Filing runs (归档作业) as the pages read them: a run's progress (how many of the lines given
to it are settled) and the reconciling summary of lists: every line is in exactly one outcome,
so that the listed records = filed + filed before + refused or returned + still waiting."""

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import policy
from app.extensions import db
from app.models import User
from app.models.archive import (
    ArchiveFilingRun,
    ArchiveHandover,
    ArchiveHandoverLine,
    FilingRunStatus,
    HandoverLineStatus,
    HandoverSource,
)
from app.policy import Action

S = HandoverLineStatus
PROBLEMS = (S.REJECTED, S.REFUSED, S.CHECK_FAILED)
SHOWN_PROBLEMS = 200


@dataclass
class Progress:
    total: int
    done: int

    @property
    def percent(self) -> int:
        if not self.total:
            return 100
        return 100 * self.done // self.total


@dataclass
class Summary:
    """Lines by outcome (as the viewer may see them) and the lines that went wrong, with their
    reasons; `balanced` when the outcomes add up to the lines."""

    counts: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def count(self, *statuses) -> int:
        return sum(self.counts.get(s, 0) for s in statuses)

    @property
    def listed(self) -> int:
        return sum(self.counts.values())

    @property
    def filed(self) -> int:
        return self.count(S.FILED, S.CHECK_FAILED)

    @property
    def already_filed(self) -> int:
        return self.count(S.ALREADY_FILED)

    @property
    def refused(self) -> int:
        return self.count(S.REJECTED, S.REFUSED)

    @property
    def waiting(self) -> int:
        return self.count(S.PENDING, S.ACCEPTED)

    @property
    def balanced(self) -> bool:
        return self.listed == self.filed + self.already_filed + self.refused + self.waiting


def running(run: ArchiveFilingRun | None) -> bool:
    return run is not None and run.status in (FilingRunStatus.QUEUED, FilingRunStatus.RUNNING)


def finished(run: ArchiveFilingRun) -> bool:
    return run.status == FilingRunStatus.DONE


def progress(run: ArchiveFilingRun) -> Progress:
    """Of the lines given to the run, how many are settled (no longer waiting to be filed)."""
    counts = dict(db.session.execute(
        select(ArchiveHandoverLine.status, func.count())
        .where(ArchiveHandoverLine.run_id == run.id)
        .group_by(ArchiveHandoverLine.status)).tuples().all())
    total = sum(counts.values())
    return Progress(total, total - counts.get(S.ACCEPTED, 0))


def latest_for(handover: ArchiveHandover) -> ArchiveFilingRun | None:
    """The list's most recent run (its page shows the progress)."""
    return db.session.scalar(select(ArchiveFilingRun)
                             .where(ArchiveFilingRun.handover_id == handover.id)
                             .order_by(ArchiveFilingRun.id.desc()).limit(1))


def monthly_lists(run: ArchiveFilingRun):
    """The monthly lists a monthly run built or completed (as a query of their ids)."""
    query = select(ArchiveHandover.id).where(ArchiveHandover.source == HandoverSource.MONTHLY,
                                             ArchiveHandover.period_start == run.period_start)
    if run.department_id is not None:
        query = query.where(ArchiveHandover.department_id == run.department_id)
    return query


def summary(handover_ids, viewer: User) -> Summary:
    """The outcome of the lines of these lists (ids, or a query of them) that the viewer may
    see, and the problems among them."""
    lines = policy.scope(select(ArchiveHandoverLine).where(
        ArchiveHandoverLine.handover_id.in_(handover_ids)), viewer, ArchiveHandoverLine,
        Action.VIEW).subquery()
    counts = dict(db.session.execute(
        select(lines.c.status, func.count()).group_by(lines.c.status)).tuples().all())
    problems = db.session.execute(
        select(lines.c.id, lines.c.title, lines.c.status, lines.c.reason)
        .where(lines.c.status.in_(PROBLEMS)).order_by(lines.c.id).limit(SHOWN_PROBLEMS)).all()
    return Summary({S(k): v for k, v in counts.items()}, problems)


def recent_monthly(limit: int = 10) -> list[ArchiveFilingRun]:
    """The latest monthly runs, newest first (the monthly filing page lists them)."""
    return list(db.session.scalars(
        select(ArchiveFilingRun).where(ArchiveFilingRun.handover_id.is_(None))
        .options(selectinload(ArchiveFilingRun.department),
                 selectinload(ArchiveFilingRun.requested_by))
        .order_by(ArchiveFilingRun.id.desc()).limit(limit)))
