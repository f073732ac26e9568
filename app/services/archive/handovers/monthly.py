"""The monthly filing (004: 每月对客户信息及服务记录进行分类归档): for one month, each department's
list of every record whose latest version was signed that month. A department has one monthly
list per month, completed when the month is run again (only records not on it yet are added),
so runs can be repeated and resumed. A run an archivist starts receives the lists at once (the
archivist is the receiver); the timer's run, with nobody to receive them, leaves them waiting
for the archivist's acceptance.

A record filed before the run is listed as filed before; one that cannot be filed is refused
with its reason: the month's records = filed + filed before + refused (+ still waiting)."""

from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Department, User
from app.models.archive import ArchiveFilingRun, ArchiveHandover, ArchiveHandoverLine
from app.models.archive import HandoverSource as Source
from app.services.archive.handovers import eligible, operations
from app.services.core import audit
from app.services.core.errors import Refused
from app.services.core.numbering import series_number
from app.services.core.record_kinds import filing_types
from app.timeutil import local_today, local_zone


def last_month(today: date) -> date:
    """The first day of the month before `today`'s."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=monthrange(month.year, month.month)[1])


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month from its first local midnight to the next month's, as stored (naive UTC)."""
    def utc(day: date) -> datetime:
        moment = datetime.combine(day, time.min, tzinfo=local_zone())
        return moment.astimezone(UTC).replace(tzinfo=None)

    return utc(month), utc(month_end(month) + timedelta(days=1))


def request(month: date, department_id: int | None, archivist: User | None) -> ArchiveFilingRun:
    """A monthly run of `month` (every department when None), received by the archivist who
    asks for it (none: the timer's); refuses a month still ahead. The caller commits and
    enqueues it."""
    month = month.replace(day=1)
    if month > local_today():
        raise Refused(_("不能为尚未开始的月份归档。"), field="month")
    run = ArchiveFilingRun(period_start=month, department_id=department_id,
                           requested_by_id=archivist.id if archivist else None,
                           receiver_id=archivist.id if archivist else None)
    db.session.add(run)
    db.session.flush()
    department = db.session.get(Department, department_id) if department_id else None
    audit.record("archive_monthly_filing_started", run, actor=archivist,
                 object_label=_("%(y)d年%(m)d月 月度归档", y=month.year, m=month.month),
                 changes={"month": month.strftime("%Y-%m"),
                          "department": str(department.label) if department else _("全部部门")})
    return run


def build(run: ArchiveFilingRun) -> None:
    """Builds or completes the month's lists (of run.department, or of every department) and,
    for a run with a receiver, gives their waiting lines within the receiver's clearance to
    the run; commits."""
    start, end = month_bounds(run.period_start)
    receiver = db.session.get(User, run.receiver_id) if run.receiver_id else None
    for department in _departments(run.department_id):
        candidates = [c for record_type in filing_types()
                      for c in eligible.of_period(department.id, record_type, start, end)]
        if not candidates:
            continue
        handover = _monthly_list(department.id, run.period_start)
        added = operations.add_lines(handover, _not_listed(handover, candidates))
        if added:
            audit.record("archive_monthly_list_built", handover, actor=receiver,
                         changes={"lines": len(added),
                                  "records": [x.business_number for x in added]},
                         level=max(x.confidentiality for x in added))
        if receiver is not None:
            operations.accept(handover, None, receiver, run)
    db.session.commit()


def _departments(department_id: int | None) -> list[Department]:
    query = select(Department).order_by(Department.id)
    if department_id is not None:
        query = query.where(Department.id == department_id)
    return list(db.session.scalars(query))


def _monthly_list(department_id: int, month: date) -> ArchiveHandover:
    """The department's list of the month, made when it has none yet."""
    found = db.session.scalar(select(ArchiveHandover).where(
        ArchiveHandover.department_id == department_id, ArchiveHandover.source == Source.MONTHLY,
        ArchiveHandover.period_start == month))
    if found is not None:
        return found
    handover = ArchiveHandover(number=series_number("YJ"), department_id=department_id,
                               source=Source.MONTHLY, period_start=month,
                               period_end=month_end(month))
    db.session.add(handover)
    db.session.flush()
    return handover


def _not_listed(handover: ArchiveHandover, candidates: list) -> list:
    """The candidates whose version is not on the list yet."""
    listed = set(db.session.execute(
        select(ArchiveHandoverLine.record_type, ArchiveHandoverLine.record_id,
               ArchiveHandoverLine.record_version)
        .where(ArchiveHandoverLine.handover_id == handover.id)).tuples())
    return [c for c in candidates if (c.record_type, c.record_id, c.version) not in listed]
