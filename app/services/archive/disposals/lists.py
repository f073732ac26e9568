"""The disposal lists' list and a list's page, and the 销毁清册 (every destroyed item: its
metadata and hashes, the list and its signatures), with their Excel exports, on queries policy
has already scoped."""

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import ApprovalAssignment, ApprovalRequest, Department, RequestStatus, User
from app.models.archive import (
    ArchiveItem,
    DisposalEntry,
    DisposalList,
    DisposalStatus,
    EntryOutcome,
)
from app.services.approvals.pages import load_requests
from app.services.archive.disposals.kind import RECORD_TYPE
from app.services.core.audit_labels import object_type_label as kind_label
from app.services.core.pagination import Page, Sort, counted_page
from app.timeutil import to_local

SORT = Sort(DisposalList.id, True)
REGISTER_SORT = Sort(DisposalEntry.id, True)
ROW_LOADS = (selectinload(DisposalList.department), selectinload(DisposalList.created_by))
PAGE_LOADS = (*ROW_LOADS, selectinload(DisposalList.aborted_by),
              selectinload(DisposalList.countersigned_by),
              selectinload(DisposalList.entries).selectinload(DisposalEntry.item),
              selectinload(DisposalList.entries).selectinload(DisposalEntry.decided_by))


@dataclass
class DisposalFilters:
    status: str = ""
    department: int | None = None
    after: str | None = None
    before: str | None = None


@dataclass
class Listing:
    page: Page
    total: int
    capped: bool


@dataclass
class DisposalPage:
    """A list with its entries and items, the request that signs it (the latest), and how
    many entries ended each way."""

    disposal: DisposalList
    request: ApprovalRequest | None
    outcomes: Counter = field(default_factory=Counter)
    waiting_for: list[str] = field(default_factory=list)  # the current step's signers


def filtered(scoped: Select, f: DisposalFilters) -> Select:
    query = scoped
    if f.status in {s.value for s in DisposalStatus}:
        query = query.where(DisposalList.status == f.status)
    if f.department:
        query = query.where(DisposalList.department_id == f.department)
    return query


def listing(scoped: Select, f: DisposalFilters) -> Listing:
    """One page of the lists, the latest first, with its capped count."""
    page, total, capped = counted_page(filtered(scoped, f).options(*ROW_LOADS), DisposalList,
                                       SORT, after=f.after, before=f.before)
    return Listing(page, total, capped)


def latest_request(disposal: DisposalList) -> ApprovalRequest | None:
    """The list's latest approval request, with its signatures."""
    request = db.session.scalar(select(ApprovalRequest).where(
        ApprovalRequest.record_type == RECORD_TYPE, ApprovalRequest.record_id == disposal.id)
        .order_by(ApprovalRequest.id.desc()).limit(1))
    if request is not None:
        load_requests([request])
    return request


def _waiting_for(request: ApprovalRequest | None) -> list[str]:
    if request is None or request.status != RequestStatus.PENDING:
        return []
    return list(db.session.scalars(
        select(User.full_name).join(ApprovalAssignment, ApprovalAssignment.user_id == User.id)
        .where(ApprovalAssignment.request_id == request.id,
               ApprovalAssignment.step == request.current_step,
               ApprovalAssignment.done.is_(False)).order_by(User.id)))


def load_page(disposal: DisposalList) -> DisposalPage:
    """The list with everything its page, its status fragment and its certificate show."""
    disposal = db.session.scalar(select(DisposalList).where(DisposalList.id == disposal.id)
                                 .options(*PAGE_LOADS))
    request = latest_request(disposal)
    return DisposalPage(disposal, request, Counter(entry.outcome for entry in disposal.entries),
                        _waiting_for(request))


def export_table(scoped: Select, f: DisposalFilters):
    """(headers, rows) of every filtered list, the latest first."""
    headers = [_("清单编号"), _("档案所属部门"), _("状态"), _("编制人"), _("编制时间"),
               _("等待期至"), _("完成时间"), _("密级")]
    query = filtered(scoped, f).options(*ROW_LOADS).order_by(*SORT.order_by(DisposalList, True))
    return headers, ((d.number, str(d.department.label), str(d.status.label),
                      d.created_by.full_name, _when(d.created_at), _when(d.wait_until),
                      _when(d.finished_at), str(d.confidentiality.label))
                     for d in db.session.scalars(query))


def _when(value) -> str | None:
    return to_local(value).strftime("%Y-%m-%d %H:%M") if value else None


# The 销毁清册: destroyed entries, each with its item and its list.

def register_query(scoped_lists: Select) -> Select:
    """The destroyed entries of the lists `scoped_lists` (a policy-scoped select of
    DisposalList) selects."""
    return (select(DisposalEntry)
            .join(DisposalList, DisposalList.id == DisposalEntry.disposal_id)
            .where(DisposalList.id.in_(scoped_lists.with_only_columns(DisposalList.id)),
                   DisposalEntry.outcome == EntryOutcome.DESTROYED))


def register_listing(scoped_lists: Select, after: str | None = None,
                     before: str | None = None) -> Listing:
    """One page of the 销毁清册, the latest destroyed first."""
    query = register_query(scoped_lists).options(
        selectinload(DisposalEntry.item).selectinload(ArchiveItem.department),
        selectinload(DisposalEntry.disposal))
    page, total, capped = counted_page(query, DisposalEntry, REGISTER_SORT, after=after,
                                       before=before)
    return Listing(page, total, capped)


def register_table(scoped_lists: Select):
    """(headers, rows) of the whole 销毁清册, the latest destroyed first."""
    headers = [_("档号"), _("题名"), _("类别"), _("业务编号"), _("部门"), _("保管期限"),
               _("到期日期"), _("销毁清单"), _("销毁时间"), _("SHA-256"), _("SM3"),
               _("大小（字节）"), _("个人信息已删除"), _("密级")]
    query = (register_query(scoped_lists).order_by(*REGISTER_SORT.order_by(DisposalEntry, True))
             .join(ArchiveItem, ArchiveItem.id == DisposalEntry.item_id)
             .join(Department, Department.id == ArchiveItem.department_id)
             .with_only_columns(
                 ArchiveItem.archive_number, ArchiveItem.title, ArchiveItem.record_type,
                 ArchiveItem.business_number, Department.code, ArchiveItem.retention_code,
                 ArchiveItem.expiry_date, DisposalList.number, DisposalEntry.done_at,
                 ArchiveItem.sha256, ArchiveItem.sm3, ArchiveItem.size,
                 DisposalEntry.personal_data_removed, ArchiveItem.confidentiality))
    rows = db.session.execute(query.execution_options(yield_per=1000))
    return headers, (_register_row(row) for row in rows)


def _register_row(row) -> tuple:
    number, title, kind, business, code, retention, expiry, disposal, done, *rest = row
    sha256, sm3, size, erased, level = rest
    return (number, title, kind_label(kind), business, str(code.label), retention, expiry,
            disposal, _when(done), sha256, sm3, size, _("是") if erased else _("否"),
            str(level.label))
