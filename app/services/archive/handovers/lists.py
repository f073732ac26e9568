"""The handover lists' page, its Excel export, and one list's page (its lines as the viewer may
see them, the outcome summary, the progress of its filing), on queries policy has scoped."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from app import policy
from app.extensions import db
from app.models import Department, User
from app.models.archive import (
    ArchiveFilingRun,
    ArchiveHandover,
    ArchiveHandoverLine,
    HandoverLineStatus,
)
from app.policy import Action
from app.services.archive.handovers import runs
from app.services.core.audit_labels import object_type_label
from app.services.core.loading import load_related
from app.services.core.pagination import Page, Sort, counted_page
from app.timeutil import to_local

SORT = Sort(ArchiveHandover.id, True)
ROW_LOADS = (selectinload(ArchiveHandover.department),
             selectinload(ArchiveHandover.submitted_by))


@dataclass
class HandoverFilters:
    q: str = ""  # the list's number
    department: int | None = None
    source: str = ""
    waiting: str = ""  # "1": lists with lines still waiting for the archivist
    after: str | None = None
    before: str | None = None


@dataclass
class Listing:
    page: Page
    total: int
    capped: bool
    summaries: dict


@dataclass
class HandoverPage:
    """One list as its page and print show it."""

    handover: ArchiveHandover
    lines: list
    summary: runs.Summary
    pages: int  # of the filed copies
    run: ArchiveFilingRun | None
    progress: runs.Progress | None

    @property
    def level(self):
        return max((line.confidentiality for line in self.lines), default=None)


def filtered(scoped: Select, f: HandoverFilters) -> Select:
    query = scoped
    if f.q:
        query = query.where(ArchiveHandover.number.contains(f.q.strip().upper(),
                                                            autoescape=True))
    if f.department:
        query = query.where(ArchiveHandover.department_id == f.department)
    if f.source:
        query = query.where(ArchiveHandover.source == f.source)
    if f.waiting:
        query = query.where(exists().where(
            ArchiveHandoverLine.handover_id == ArchiveHandover.id,
            ArchiveHandoverLine.status == HandoverLineStatus.PENDING))
    return query


def listing(scoped: Select, f: HandoverFilters, viewer: User) -> Listing:
    """One page of the filtered lists, newest first, with each list's outcome counts."""
    query = filtered(scoped, f).options(*ROW_LOADS)
    page, total, capped = counted_page(query, ArchiveHandover, SORT, after=f.after,
                                       before=f.before)
    return Listing(page, total, capped, summaries([h.id for h in page.rows], viewer))


def summaries(handover_ids, viewer: User) -> dict[int, runs.Summary]:
    """Each list's line counts by outcome, as the viewer may see its lines (one query)."""
    lines = policy.scope(select(ArchiveHandoverLine).where(
        ArchiveHandoverLine.handover_id.in_(handover_ids)), viewer, ArchiveHandoverLine,
        Action.VIEW).subquery()
    found: dict[int, runs.Summary] = {}
    for handover_id, status, count in db.session.execute(
            select(lines.c.handover_id, lines.c.status, func.count())
            .group_by(lines.c.handover_id, lines.c.status)):
        found.setdefault(handover_id, runs.Summary()).counts[HandoverLineStatus(status)] = count
    return found


def load_page(handover: ArchiveHandover, viewer: User) -> HandoverPage:
    """The list with the lines the viewer may see (their deciders and items), its summary and
    its latest run."""
    load_related([handover], *ROW_LOADS)
    lines = list(db.session.scalars(policy.scope(
        select(ArchiveHandoverLine).where(ArchiveHandoverLine.handover_id == handover.id),
        viewer, ArchiveHandoverLine, Action.VIEW)
        .options(selectinload(ArchiveHandoverLine.decided_by),
                 selectinload(ArchiveHandoverLine.item))
        .order_by(ArchiveHandoverLine.id)))
    run = runs.latest_for(handover)
    return HandoverPage(handover, lines, runs.summary([handover.id], viewer),
                        sum(line.item.pages for line in lines if line.item), run,
                        runs.progress(run) if run else None)


@dataclass
class RunPage:
    """A monthly run's page: its progress, its month's lists the viewer may read, each with
    its counts, and the summary over all of them."""

    run: ArchiveFilingRun
    progress: runs.Progress
    handovers: list
    summaries: dict
    summary: runs.Summary


def run_page(run: ArchiveFilingRun, viewer: User) -> RunPage:
    load_related([run], selectinload(ArchiveFilingRun.department),
                 selectinload(ArchiveFilingRun.requested_by))
    month_lists = runs.monthly_lists(run)
    handovers = list(db.session.scalars(
        policy.scope(select(ArchiveHandover).where(ArchiveHandover.id.in_(month_lists)),
                     viewer, ArchiveHandover)
        .options(*ROW_LOADS).order_by(ArchiveHandover.department_id)))
    return RunPage(run, runs.progress(run), handovers,
                   summaries([h.id for h in handovers], viewer),
                   runs.summary(month_lists, viewer))


def kind_label(record_type: str) -> str:
    return object_type_label(record_type)


def period_label(handover: ArchiveHandover) -> str:
    """A monthly list's month (2026年11月); empty for a department's own list."""
    start: date | None = handover.period_start
    return _("%(y)d年%(m)d月", y=start.year, m=start.month) if start else ""


def export_table(scoped: Select, f: HandoverFilters, viewer: User):
    """(headers, rows) of every filtered list, newest first, with its outcome counts."""
    headers = [_("移交单号"), _("移交部门"), _("来源"), _("所属月份"), _("移交人"),
               _("移交时间"), _("所列记录"), _("已归档"), _("此前已归档"), _("退回或不能归档"),
               _("待接收或归档中")]
    handovers = list(db.session.scalars(filtered(scoped, f).options(*ROW_LOADS)
                                        .order_by(ArchiveHandover.id.desc())))
    sums = summaries([h.id for h in handovers], viewer)
    rows = []
    for h in handovers:
        s = sums.get(h.id, runs.Summary())
        rows.append((h.number, str(h.department.label), str(h.source.label), period_label(h),
                     h.submitted_by.full_name if h.submitted_by else _("月度归档作业"),
                     to_local(h.submitted_at).strftime("%Y-%m-%d %H:%M"), s.listed, s.filed,
                     s.already_filed, s.refused, s.waiting))
    return headers, rows


def line_table(page: HandoverPage):
    """(headers, rows) of one list's lines, as its page shows them."""
    headers = [_("序号"), _("类别"), _("题名"), _("业务编号"), _("密级"), _("审批生效时间"),
               _("状态"), _("档号"), _("页数"), _("接收人"), _("原因或问题")]
    rows = [(i, kind_label(x.record_type), x.title, x.business_number,
             str(x.confidentiality.label), to_local(x.signed_at).strftime("%Y-%m-%d %H:%M"),
             str(x.status.label), x.item.archive_number if x.item else "",
             x.item.pages if x.item else None,
             x.decided_by.full_name if x.decided_by else "", x.reason or "")
            for i, x in enumerate(page.lines, 1)]
    return headers, rows


def department_choices() -> list[tuple[int, str]]:
    """(id, name) of every department (the list's filter and the monthly form)."""
    return [(d.id, str(d.label)) for d in
            db.session.scalars(select(Department).order_by(Department.id))]
