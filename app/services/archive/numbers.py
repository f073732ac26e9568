"""档号 after DA/T 22: {全宗号}-{门类}·{年度}-{保管期限}-{机构}-{件号}, e.g.
TZ-KH·2026-D10-XS-00017.

The 件号 is the next value of the series' counter (services/core/numbering: an UPDATE that holds
the counter's row lock until the transaction ends), taken in the transaction that inserts the
item: rolled back with it, it is used by no item and given to the next filing, so every series
runs 1, 2, 3… without gaps. Numbers are never reused; a voided number keeps its item and is
recorded with its reason."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import NumberCounter, User
from app.models.archive import ArchiveItem, ArchiveNumberVoid
from app.services.core import audit, numbering
from app.services.core.errors import Refused

SEQUENCE_WIDTH = 5
_COUNTER_PREFIX = "DA:"


class NumberRefused(Refused):
    """The archive refuses a numbering action (a void without a reason, a second void)."""


def category_code(record_type: str, kind_category: str) -> str:
    """The 门类 code of a record type: the config's, else the kind's own."""
    return current_app.config.get("ARCHIVE_CATEGORY_CODES", {}).get(record_type, kind_category)


def department_code(department_code_value: str) -> str:
    """The 机构 code of a department (by its code: sales → XS)."""
    codes = current_app.config["ARCHIVE_DEPARTMENT_CODES"]
    return codes.get(department_code_value, department_code_value.upper()[:4])


def series_of(category: str, year: int, retention_code: str, organisation: str) -> str:
    """The 档号 without its 件号: the key of one gap-free sequence."""
    fonds = current_app.config["ARCHIVE_FONDS_CODE"]
    return f"{fonds}-{category}·{year}-{retention_code}-{organisation}"


def expected_number(series: str) -> str:
    """The 档号 the series will give next, unless another filing takes it first (read without
    a lock: the copy is made for it before the number is taken)."""
    last = db.session.scalar(select(NumberCounter.value).where(
        NumberCounter.key == _COUNTER_PREFIX + series))
    return f"{series}-{(last or 0) + 1:0{SEQUENCE_WIDTH}d}"


def take_number(series: str) -> tuple[int, str]:
    """The series' next 件号 and 档号; the counter stays locked until the caller's transaction
    ends, and goes back with it if it rolls back."""
    sequence = numbering.next_value(_COUNTER_PREFIX + series)
    return sequence, f"{series}-{sequence:0{SEQUENCE_WIDTH}d}"


def void_number(item: ArchiveItem, reason: str, actor: User) -> ArchiveNumberVoid:
    """Records that the item's 档号 is void (filed in error), with the reason; the number is
    never given again and the item stays. Refuses an empty reason or a second void."""
    reason = (reason or "").strip()
    if not reason:
        raise NumberRefused(_("作废档号须填写原因。"), "reason")
    if db.session.scalar(select(ArchiveNumberVoid.id).where(
            ArchiveNumberVoid.archive_number == item.archive_number)):
        raise NumberRefused(_("该档号已作废。"))
    void = ArchiveNumberVoid(archive_number=item.archive_number, series=item.series,
                             sequence=item.sequence, item_id=item.id, reason=reason,
                             voided_by_id=actor.id)
    db.session.add(void)
    audit.record("archive_number_voided", item, changes={"reason": reason}, actor=actor)
    return void


def series_gaps() -> dict[str, list[int]]:
    """Per series, the 件号 up to the counter that neither an item nor a void accounts for
    (empty when numbering is continuous)."""
    counters = db.session.execute(select(NumberCounter.key, NumberCounter.value).where(
        NumberCounter.key.startswith(_COUNTER_PREFIX)))
    gaps = {}
    for key, last in counters:
        series = key.removeprefix(_COUNTER_PREFIX)
        used = set(db.session.scalars(select(ArchiveItem.sequence).where(
            ArchiveItem.series == series)))
        used |= set(db.session.scalars(select(ArchiveNumberVoid.sequence).where(
            ArchiveNumberVoid.series == series)))
        missing = [n for n in range(1, last + 1) if n not in used]
        if missing:
            gaps[series] = missing
    return gaps

