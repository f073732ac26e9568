"""The due list (到期待销毁): items in store whose retention has ended (expiry date today or
earlier), that no hold covers and no loan has out, oldest expiry first, on a query of the
items policy lets the user see; its Excel export."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Department
from app.models.archive import ArchiveItem, ArchiveState
from app.services.archive.holds.coverage import held_items
from app.services.archive.holds.guard import lent_items
from app.services.core.audit_labels import object_type_label as kind_label
from app.services.core.pagination import Page, Sort, counted_page
from app.timeutil import local_today

SORT = Sort(ArchiveItem.expiry_date, False)


@dataclass
class DueFilters:
    department: int | None = None
    kind: str = ""
    after: str | None = None
    before: str | None = None


@dataclass
class DueListing:
    page: Page
    total: int
    capped: bool


def due_condition() -> ColumnElement:
    """The condition, over ArchiveItem, that the item is due for disposal now."""
    return and_(ArchiveItem.state == ArchiveState.IN_STORE,
                ArchiveItem.expiry_date <= local_today(), ~held_items(), ~lent_items())


def filtered(scoped: Select, f: DueFilters) -> Select:
    query = scoped.where(due_condition())
    if f.department:
        query = query.where(ArchiveItem.department_id == f.department)
    if f.kind:
        query = query.where(ArchiveItem.record_type == f.kind)
    return query


def listing(scoped: Select, f: DueFilters) -> DueListing:
    """One page of the due items, the longest expired first, with its capped count."""
    query = filtered(scoped, f).options(selectinload(ArchiveItem.department))
    page, total, capped = counted_page(query, ArchiveItem, SORT, after=f.after, before=f.before)
    return DueListing(page, total, capped)


def department_choices() -> list[tuple[int, str]]:
    return [(d.id, str(d.label)) for d in db.session.scalars(select(Department)
                                                             .order_by(Department.id))]


def export_table(scoped: Select, f: DueFilters):
    """(headers, rows) of every due item as filtered, the longest expired first."""
    headers = [_("档号"), _("题名"), _("类别"), _("业务编号"), _("部门"), _("保管期限"),
               _("到期日期"), _("密级")]
    query = (filtered(scoped, f).order_by(None).order_by(*SORT.order_by(ArchiveItem, False))
             .join(Department, Department.id == ArchiveItem.department_id)
             .with_only_columns(ArchiveItem.archive_number, ArchiveItem.title,
                                ArchiveItem.record_type, ArchiveItem.business_number,
                                Department.code, ArchiveItem.retention_code,
                                ArchiveItem.expiry_date, ArchiveItem.confidentiality))
    rows = db.session.execute(query.execution_options(yield_per=1000))
    return headers, ((number, title, kind_label(kind), business, str(code.label),
                      retention, expiry, str(level.label))
                     for number, title, kind, business, code, retention, expiry, level in rows)
