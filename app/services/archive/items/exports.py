"""The catalogue's Excel export: every column of req 3 (档号 to state, with both hashes and who
has the item on loan) for the whole filtered list, in the page's order."""

from flask_babel import gettext as _
from sqlalchemy import Select, exists
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Customer, Department, User
from app.models.archive import ArchiveItem, ArchiveNumberVoid
from app.services.archive.items.lists import (
    CatalogueFilters,
    current_borrowers,
    filtered,
    kind_label,
)
from app.timeutil import to_local

CHUNK = 2000


def headers() -> list[str]:
    return [_("档号"), _("题名"), _("档案类型"), _("业务编号"), _("客户"), _("归档部门"),
            _("密级"), _("归档时间"), _("归档人"), _("接收人"), _("页数"), _("保管期限"),
            _("保管年限"), _("到期日期"), _("存放位置"), _("SHA-256"), _("SM3"), _("状态"),
            _("借阅人"), _("档号作废")]


def export_table(scoped: Select, f: CatalogueFilters):
    """(headers, rows) of the whole filtered catalogue in the page's order."""
    filer, receiver = aliased(User), aliased(User)
    sort, item = f.sort_spec(), ArchiveItem
    voided = exists().where(ArchiveNumberVoid.archive_number == item.archive_number)
    query = (filtered(scoped, f).order_by(None).order_by(*sort.order_by(item, sort.descending))
             .join(Department, Department.id == item.department_id)
             .join(filer, filer.id == item.filed_by_id)
             .outerjoin(receiver, receiver.id == item.received_by_id)
             .outerjoin(Customer, Customer.id == item.customer_id)
             .with_only_columns(
                 item.id, item.archive_number, item.title, item.record_type,
                 item.business_number, Customer.name, Department.code, item.confidentiality,
                 item.filed_at, filer.full_name, receiver.full_name, item.pages,
                 item.retention_code, item.retention_years, item.expiry_date, item.location,
                 item.sha256, item.sm3, item.state, voided))
    rows = db.session.execute(query.execution_options(yield_per=CHUNK))
    return headers(), _rows(rows)


def _rows(result):
    for chunk in result.partitions(CHUNK):
        borrowers = current_borrowers([row[0] for row in chunk])
        for row in chunk:
            yield _row(row, borrowers.get(row[0]))


def _row(row, borrower: str | None) -> tuple:
    (_id, number, title, kind, business, customer, department, level, filed_at, filer,
     receiver, pages, code, years, expiry, location, sha256, sm3, state, voided) = row
    return (number, title, kind_label(kind), business, customer, str(department.label),
            str(level.label), to_local(filed_at).replace(tzinfo=None), filer, receiver, pages,
            code, years if years is not None else _("永久"), expiry, str(location.label),
            sha256, sm3, str(state.label), borrower, _("是") if voided else "")
