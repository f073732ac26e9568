"""表5-25 销售合同归档汇总登记台账 (000 L711): the catalogue filtered to contracts, printable.

The seed gives the title only; its columns follow the spec's proposal (d3): 序号, 档案编号,
合同编号, 合同名称, 客户名称, the contract's key figures as signed (签约单位, 合同金额: read from
the filed version's snapshot through the kind's card, so the archive reads no sales table),
生效日期 (the signed version's date), 归档日期, 归档人, 页数, 保管期限, 备注."""

import json
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, select, tuple_

from app.extensions import db
from app.models import Level, RecordVersion, User
from app.models.archive import ArchiveItem, ArchiveState
from app.services.archive.items.lists import CatalogueFilters, filtered, retention_label, row_extras
from app.services.core import audit
from app.services.core.pdf import Printed, render, watermark
from app.services.core.record_kinds import card_maker
from app.timeutil import local_today, to_local

REGISTER_KIND = "Contract"
PRINT_LIMIT = 2000  # rows in one print; the page says when the list is longer


@dataclass
class RegisterRow:
    item: ArchiveItem
    customer: str
    filed_by: str
    figures: str  # the key figures as signed, "签约单位：…；合同金额：…"
    signed_on: date | None
    remarks: str


def register_filters(f: CatalogueFilters) -> CatalogueFilters:
    """The catalogue's filters (`f`, changed) with the kind fixed to contracts."""
    f.kind = REGISTER_KIND
    return f


def _signed(items: list[ArchiveItem]) -> dict[int, tuple[str, date]]:
    """item id → (key figures, signing date) of the version each item holds."""
    keys = [(i.record_type, i.record_id, i.record_version) for i in items]
    if not keys:
        return {}
    versions = {(v.record_type, v.record_id, v.number): v for v in db.session.scalars(
        select(RecordVersion).where(tuple_(RecordVersion.record_type, RecordVersion.record_id,
                                           RecordVersion.number).in_(keys)))}
    maker, found = card_maker(REGISTER_KIND), {}
    held = [(item, versions[key]) for item, key in zip(items, keys, strict=True)
            if key in versions]
    figures = maker.figures([json.loads(v.snapshot) for _i, v in held]) if maker else []
    for index, (item, version) in enumerate(held):
        words = "；".join(f"{f.label}：{f.value}" for f in figures[index]) if figures else ""
        found[item.id] = (words, to_local(version.created_at).date())
    return found


def _remarks(item: ArchiveItem, voided: bool) -> str:
    notes = [] if item.state == ArchiveState.IN_STORE else [str(item.state.label)]
    if voided:
        notes.append(_("档号已作废"))
    return "、".join(notes)


def register_rows(items: list[ArchiveItem]) -> list[RegisterRow]:
    """The register's rows of these items (a fixed number of statements)."""
    extras, signed = row_extras([i.id for i in items]), _signed(items)
    return [RegisterRow(item, extras[item.id].customer, extras[item.id].filed_by,
                        *signed.get(item.id, ("", None)),
                        _remarks(item, extras[item.id].voided)) for item in items]


def printed_register(scoped: Select, f: CatalogueFilters, viewer: User) -> Printed:
    """The whole filtered register (up to PRINT_LIMIT rows, oldest filing first) as PDF, A4
    landscape, watermarked from 秘密 as every print; audited."""
    query = filtered(scoped, register_filters(f)).order_by(ArchiveItem.id)
    items = list(db.session.scalars(query.limit(PRINT_LIMIT + 1)))
    cut = len(items) > PRINT_LIMIT
    items = items[:PRINT_LIMIT]
    level = max((i.confidentiality for i in items), default=Level.INTERNAL)
    data = render("pdf/archive/register.html", rows=register_rows(items), cut=cut,
                  limit=PRINT_LIMIT, level=level, watermark=watermark(level, viewer),
                  print_date=local_today(), retention=retention_label)
    printed = Printed.named(data, _("销售合同归档汇总登记台账"), "contract-register",
                            local_today().isoformat())
    audit.record("print", object_type="ArchiveItem", object_label=printed.filename,
                 actor=viewer, level=level,
                 changes={"document": printed.filename, "rows": len(items)})
    return printed

