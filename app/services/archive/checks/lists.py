"""The runs' list (newest first), its Excel export, and how a run's scope reads."""

import json
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Department
from app.models.archive import ArchiveCheckRun, CheckScope
from app.services.core.audit_labels import object_type_label
from app.services.core.pagination import Page, Sort, counted_page
from app.timeutil import to_local

SORT = Sort(ArchiveCheckRun.id, True)
ROW_LOADS = (selectinload(ArchiveCheckRun.scheme), selectinload(ArchiveCheckRun.department),
             selectinload(ArchiveCheckRun.requested_by), selectinload(ArchiveCheckRun.signed_by))


@dataclass
class RunListing:
    page: Page
    total: int
    capped: bool


def filtered(scoped: Select, status: str | None) -> Select:
    return scoped.where(ArchiveCheckRun.status == status) if status else scoped


def listing(scoped: Select, status: str | None, after: str | None,
            before: str | None) -> RunListing:
    """One page of the runs, newest first, with what the rows show."""
    page, total, capped = counted_page(filtered(scoped, status).options(*ROW_LOADS),
                                       ArchiveCheckRun, SORT, after=after, before=before)
    return RunListing(page, total, capped)


def scope_text(check_run: ArchiveCheckRun) -> str:
    """What the run covered, as the list and the report say it (its department loaded)."""
    if check_run.scope == CheckScope.DEPARTMENT:
        return _("部门：%(name)s", name=check_run.department.name)
    if check_run.scope == CheckScope.KIND:
        return _("记录类型：%(kind)s", kind=object_type_label(check_run.record_type))
    if check_run.scope == CheckScope.PERIOD:
        return _("归档期间：%(start)s 至 %(end)s", start=check_run.filed_from.isoformat(),
                 end=check_run.filed_to.isoformat())
    if check_run.scope == CheckScope.SELECTION:
        return _("选定档案 %(n)d 件", n=len(json.loads(check_run.selection or "[]")))
    return _("全部档案")


def export_table(scoped: Select, status: str | None):
    """(headers, rows) of every run of the filtered list, newest first."""
    headers = [_("编号"), _("发起时间"), _("发起人"), _("检测范围"), _("方案版本"), _("状态"),
               _("应检件数"), _("已检件数"), _("通过"), _("警告"), _("不通过"), _("检测结论"),
               _("签署人"), _("签署时间")]
    query = filtered(scoped, status).options(*ROW_LOADS).order_by(ArchiveCheckRun.id.desc())
    rows = []
    for run in db.session.scalars(query):
        rows.append((run.id, _moment(run.created_at), _person(run.requested_by),
                     scope_text(run), run.scheme.version, str(run.status.label), run.total,
                     run.processed, run.passed, run.warned, run.failed,
                     str(run.conclusion.label) if run.conclusion else "",
                     run.signed_by.full_name if run.signed_by else "",
                     _moment(run.signed_at) if run.signed_at else ""))
    return headers, rows


def _moment(value) -> str:
    return to_local(value).strftime("%Y-%m-%d %H:%M")


def _person(user) -> str:
    return user.full_name if user else _("命令行")


def departments() -> list[tuple[int, str]]:
    """The departments a run may be limited to (id, name), for the form."""
    return list(db.session.execute(select(Department.id, Department.name)
                                   .order_by(Department.id)).tuples())
