"""外呼名单: the customer list exported with full phone numbers (every other export masks them).

It needs the permission to reveal personal data (policy: PhoneExportRules, the customers in
the user's own scope for REVEAL_PII), a stated reason, and above APPROVAL_ABOVE rows the
approval of the requester's department manager (flow PHONE_EXPORT_FLOW). Each request and each
file taken is audited with its row count and reason; the file names its requester in its
document properties and in the line above its header."""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from app import policy
from app.extensions import db
from app.models import PHONE_EXPORT_FLOW, Customer, Level, PhoneExport, RequestStatus, User
from app.policy import Action
from app.services.approvals import engine as approvals
from app.services.core import audit
from app.services.core.errors import Refused
from app.services.core.exports import Properties, Sheet, write_workbook
from app.services.core.notifications import Link
from app.services.core.record_kinds import Card, Figure
from app.services.customers.lists import CustomerFilters, filtered
from app.timeutil import local_now

APPROVAL_ABOVE = 50
MAX_ROWS = 5000
LIST_NAME = "customers"
HEADERS = (_l("客户编号"), _l("客户名称"), _l("联系人"), _l("联系电话"), _l("负责人"))
CARD_TEMPLATE = "customers/customer/_card.html"


class PhoneExportRefused(Refused):
    """A full-phone export that may not be made (no reason, nothing to export, too many)."""


@dataclass
class Workbook:
    data: bytes
    rows: int


def rows_query(user: User, f: CustomerFilters) -> Select:
    """The filtered customers whose personal data the user may reveal, in the list's order."""
    scoped = policy.scope(select(Customer), user, Customer, Action.REVEAL_PII)
    sort = f.sort_spec()
    return filtered(scoped, f).order_by(*sort.order_by(Customer, sort.descending), Customer.id)


def count(user: User, f: CustomerFilters) -> int:
    return db.session.scalar(select(func.count()).select_from(
        rows_query(user, f).order_by(None).subquery()))


def needs_approval(rows: int) -> bool:
    return rows > APPROVAL_ABOVE


def request_export(user: User, f: CustomerFilters, query: str, reason: str) -> PhoneExport:
    """Files the request: approved at once up to APPROVAL_ABOVE rows, otherwise submitted to
    the department manager. Refuses a blank reason, an empty list and one above MAX_ROWS."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise PhoneExportRefused(_("请说明导出完整电话的原因（至少 2 个字）。"), "reason")
    listed = rows_query(user, f).order_by(None).subquery()
    rows = db.session.scalar(select(func.count()).select_from(listed))
    if rows == 0:
        raise PhoneExportRefused(_("当前筛选条件下没有可导出的客户。"))
    if rows > MAX_ROWS:
        raise PhoneExportRefused(_("一次最多导出 %(max)d 位客户的完整电话，请缩小筛选范围。",
                                   max=MAX_ROWS))
    level = db.session.scalar(select(func.max(listed.c.confidentiality))) or Level.INTERNAL
    export = PhoneExport(requested_by=user, department_id=user.department_id,
                         list_name=LIST_NAME, query=query[:500], reason=reason[:200],
                         row_count=rows, confidentiality=Level(level),
                         status=RequestStatus.PENDING if needs_approval(rows)
                         else RequestStatus.APPROVED)
    db.session.add(export)
    db.session.flush()
    audit.record("phone_export_requested", export, object_label=title(export),
                 changes={"rows": rows, "reason": export.reason, "query": export.query})
    if needs_approval(rows):
        approvals.submit(PHONE_EXPORT_FLOW, export, user)
    return export


def workbook(export: PhoneExport, user: User, f: CustomerFilters) -> Workbook:
    """The call list as approved: at most the approved number of rows, full phones, the
    requester named in the properties and above the header; audited with the rows written."""
    owner = aliased(User)
    query = (rows_query(user, f).join(owner, owner.id == Customer.owner_id)
             .with_only_columns(Customer.number, Customer.name, Customer.contact_name,
                                Customer.phone, owner.full_name).limit(export.row_count))
    rows = [tuple(row) for row in db.session.execute(query)]
    stamp = local_now().strftime("%Y-%m-%d %H:%M")
    requester = f"{user.full_name}（{user.employee_no}）"
    note = _("外呼名单（含完整电话，仅限本人按所述用途使用，请勿外传）· 导出人：%(who)s · "
             "%(at)s · 原因：%(reason)s · 共 %(rows)d 行",
             who=requester, at=stamp, reason=export.reason, rows=len(rows))
    data = write_workbook(
        [Sheet(_("外呼名单"), [str(h) for h in HEADERS], rows, notes=[note])],
        Properties(title=_("外呼名单"), author=requester, comments=note))
    audit.record("export", export, object_label=title(export),
                 changes={"rows": len(rows), "reason": export.reason, "query": export.query,
                          "personal_data": "phone"})
    return Workbook(data, len(rows))


def title(export: PhoneExport) -> str:
    return _("外呼名单导出 #%(id)d（%(rows)d 行）", id=export.id, rows=export.row_count)


class PhoneExportKind:
    """完整电话导出 as the approval engine and the record registry see it."""

    record_type = "PhoneExport"

    def load(self, record_id: int) -> PhoneExport:
        return db.session.get(PhoneExport, record_id)

    def subject(self, export: PhoneExport) -> PhoneExport:
        return export

    def snapshot(self, export: PhoneExport) -> dict:
        return {"record": "PhoneExport", "id": export.id, "list": export.list_name,
                "query": export.query, "reason": export.reason, "rows": export.row_count,
                "requested_by_id": export.requested_by_id}

    def department_id(self, export: PhoneExport) -> int:
        return export.department_id

    def level(self, export: PhoneExport) -> Level:
        return export.confidentiality

    def title(self, export: PhoneExport) -> str:
        return f"{title(export)}：{export.requested_by.full_name}"

    def link(self, export: PhoneExport) -> Link:
        return Link("customers.phone_export_detail", {"export_id": export.id})

    def numbers(self, export: PhoneExport) -> dict:
        return {"rows": Decimal(export.row_count)}

    def submitted(self, export: PhoneExport, request) -> None:
        export.status = RequestStatus.PENDING

    def approved(self, export: PhoneExport, request) -> None:
        export.status = RequestStatus.APPROVED

    def returned(self, export: PhoneExport, request) -> None:
        export.status = request.status


class PhoneExportCard:
    """What the manager reads before approving: who, why, which list, how many rows."""

    def card(self, snapshot: dict, record) -> Card:
        requester = db.session.get(User, snapshot["requested_by_id"])
        fields = [(str(_l("申请人")), requester.full_name if requester else "—"),
                  (str(_l("筛选条件")), snapshot["query"] or str(_l("全部客户"))),
                  (str(_l("行数")), str(snapshot["rows"])),
                  (str(_l("导出原因")), snapshot["reason"])]
        return Card(CARD_TEMPLATE, {"fields": fields})

    def figures(self, snapshots: list[dict]) -> list[list[Figure]]:
        return [[Figure(str(_l("行数")), str(s["rows"])), Figure(str(_l("导出原因")), s["reason"])]
                for s in snapshots]
