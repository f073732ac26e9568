"""The record's print: 客户服务记录表 (004 表2) in the 003 form frame (填制部门, 档案编号 — the
record's number until the archive gives one), with its parts, a summary of its follow-ups and
the signature block (负责人, 客户确认, 审核), printed twice in one file: 第一联 客户存档 and
第二联 公司存档 (001 L219–227). Each 联 is typeset on its own, so its footer counts its own
pages ("第 x 页 / 共 y 页" of that 联), and the two are joined page by page. The phone is
masked; from 秘密 up each page carries the viewer's watermark; the print is audited."""

from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import User
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import ServiceRecord
from app.services.core.loading import load_related
from app.services.core.money import total
from app.services.core.pdf import (
    STATIC,
    Printed,
    PrintHTML,
    StaticFilesOnly,
    page_label,
    typesetter,
    watermark,
)
from app.services.core.pii import mask_phone
from app.services.service import satisfaction
from app.services.service.records.review import review_state
from app.timeutil import local_today

LATEST_FOLLOW_UPS = 5

LOADS = (selectinload(ServiceRecord.customer), selectinload(ServiceRecord.department),
         selectinload(ServiceRecord.first_receiver), selectinload(ServiceRecord.handler),
         selectinload(ServiceRecord.collaborators), selectinload(ServiceRecord.parts))


@dataclass
class FollowUps:
    total: int
    late: int
    latest: list  # the latest LATEST_FOLLOW_UPS, newest first, with their user


def _follow_ups(record: ServiceRecord) -> FollowUps:
    """How many follow-ups the record has (补录 among them) and the latest few."""
    f = ServiceFollowUp
    count, late = db.session.execute(select(
        func.count(), func.coalesce(func.sum(case((f.late, 1), else_=0)), 0))
        .where(f.record_id == record.id)).one()
    latest = db.session.scalars(select(f).where(f.record_id == record.id)
                                .options(selectinload(f.user))
                                .order_by(f.communicated_at.desc(), f.id.desc())
                                .limit(LATEST_FOLLOW_UPS)).all()
    return FollowUps(count, int(late), list(latest))


def _names(record: ServiceRecord) -> dict[str, str]:
    """Who recorded the customer's confirmation, and the earlier record's number (rework)."""
    names = {}
    if record.confirmation_recorded_by_id:
        names["confirmation"] = db.session.scalar(select(User.full_name).where(
            User.id == record.confirmation_recorded_by_id))
    if record.rework_of_id:
        names["rework_of"] = db.session.scalar(select(ServiceRecord.number).where(
            ServiceRecord.id == record.rework_of_id))
    return names


def part_labels() -> list[tuple[int, str]]:
    return [(1, _("第一联　客户存档")), (2, _("第二联　公司存档"))]


def sheet_context(record: ServiceRecord, review_signatures: list) -> dict:
    """What the sheet shows of the record, for the print and the filed copy alike (the
    审核 cell: `review_signatures`, those of its latest signed version)."""
    load_related([record], *LOADS)
    return dict(record=record, phone=mask_phone(record.contact_phone),
                satisfaction=satisfaction.label(record.satisfaction),
                follow_ups=_follow_ups(record), names=_names(record),
                parts_total=total(p.amount for p in record.parts if p.sold),
                review_signatures=review_signatures, level=record.confidentiality,
                print_date=local_today())


def _document(context: dict):
    """One 联 typeset on its own (its own page count)."""
    html = render_template("pdf/service/record.html", page_label=page_label(), **context)
    kept = typesetter()
    return PrintHTML(string=html, base_url=STATIC.as_uri() + "/",
                     url_fetcher=StaticFilesOnly()).render(
        stylesheets=[kept.stylesheet], font_config=kept.fonts)


def record_sheet(record: ServiceRecord, viewer: User) -> Printed:
    """客户服务记录表 of one record, both 联 in one file; the print is audited."""
    context = dict(sheet_context(record, review_state(record).signatures),
                   watermark=watermark(record.confidentiality, viewer))
    copies = [_document({**context, "parts": [part]}) for part in part_labels()]
    data = copies[0].copy([page for copy in copies for page in copy.pages]).write_pdf()
    return Printed.named(data, _("客户服务记录表"), "service-record", record.number).audited(
        record, viewer)
