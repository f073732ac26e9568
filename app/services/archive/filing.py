"""Filing (归档) signed records: a frozen PDF/A-3b copy of each one's latest signed version, with
the signed JSON snapshot and the signature chain attached, checked (services/archive/pdfa),
sealed (services/archive/seal), hashed (SHA-256, SM3), stored (services/archive/store) and
catalogued under a new 档号, all or nothing per record. `file_record` files one;
`file_records` files a batch (the monthly filing) in one warm setup and reports each record's
outcome.

The 档号 is taken in the transaction that inserts the item, and the copy is written (atomically)
before that transaction commits: a crash at any point (kill -9 included) leaves no item and no
used number (the counter rolls back), at most an orphan file that the next filing of that
number replaces or the sweep removes. The copy, which prints its 档号, is made before that
transaction, for the number the series will give next: the write transaction (which holds the
series' counter, and on SQLite the whole database) then only stores and inserts, so that
filings run side by side. When another filing took that number meanwhile, the copy is made
again, under the lock, for the number actually taken.

Where the time goes (bench/archive_filing.py: ~90 ms of CPU a record): WeasyPrint about 55 ms
(layout ~30, drawing and writing the PDF ~25), the PAdES seal ~11, the rest (database, audit,
PDF/A check, hashes, fsync) ~20. The seal and the typesetter stay loaded in the process.

Filing is idempotent: the same version filed again returns its item. A record changed after
filing stays filed as it was; its next signed version files as a new item that supersedes it."""

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Department, RecordVersion, User
from app.models.archive import ArchiveItem
from app.models.base import utcnow
from app.services.approvals.signatures import validity
from app.services.archive import numbers, retention, store
from app.services.archive.chain import attachments
from app.services.archive.pdfa import PdfaCheck, check_pdfa
from app.services.archive.seal import seal
from app.services.core import audit
from app.services.core.errors import Refused
from app.services.core.pdf import Archival, archival_context
from app.services.core.record_kinds import filing_kind, kind_of
from app.timeutil import local_today, to_local


class FilingRefused(Refused):
    """A record cannot be filed (not fileable, unsigned, signatures no longer valid, copy fails
    its PDF/A check); nothing was filed."""


class _AlreadyFiled(Exception):
    """A concurrent filing of the same version committed first."""


class _Moved(Exception):
    """The record got a new signed version while its copy was being made: start again."""


def filed_item(record_type: str, record_id: int, version: int) -> ArchiveItem | None:
    """The item that holds this version of the record, if it is filed."""
    return db.session.scalar(select(ArchiveItem).where(
        ArchiveItem.record_type == record_type, ArchiveItem.record_id == record_id,
        ArchiveItem.record_version == version))


def file_record(record_type: str, record_id: int, actor: User,
                received_by: User | None = None) -> ArchiveItem:
    """Files the record's latest signed version and commits (call it with nothing else
    pending); returns the existing item when that version is filed already. Refuses a record
    that cannot be filed, is unsigned, or no longer matches its signatures."""
    item, _created = _file(record_type, record_id, _people(actor, received_by))
    return item


FILED, ALREADY_FILED, REFUSED = "filed", "already_filed", "refused"


@dataclass(frozen=True)
class FilingOutcome:
    """What became of one record of a batch: FILED (a new item), ALREADY_FILED (that signed
    version was filed before) or REFUSED (with the reason, nothing filed)."""

    record_type: str
    record_id: int
    status: str
    item_id: int | None = None
    archive_number: str | None = None
    reason: str | None = None


def file_records(pairs, actor: User, received_by: User | None = None) -> list[FilingOutcome]:
    """Files each (record_type, record_id) in turn, each all or nothing with its own commit,
    under one request context and language for every copy (the seal and the typesetter stay
    loaded between filings anyway); one outcome per pair, in order, so that a caller's summary
    reconciles. A refusal is that record's outcome and the batch goes on; any other error (the
    disk is full) stops it, what was filed before staying filed (filing again resumes it)."""
    people, outcomes = _people(actor, received_by), []
    with archival_context():
        for record_type, record_id in pairs:
            try:
                item, created = _file(record_type, record_id, people)
            except Refused as refusal:
                outcomes.append(FilingOutcome(record_type, record_id, REFUSED,
                                              reason=refusal.message))
                continue
            outcomes.append(FilingOutcome(record_type, record_id,
                                          FILED if created else ALREADY_FILED, item.id,
                                          item.archive_number))
    return outcomes


def _people(actor: User, received_by: User | None) -> tuple[int, int | None]:
    return actor.id, received_by.id if received_by else None


def _file(record_type: str, record_id: int,
          people: tuple[int, int | None]) -> tuple[ArchiveItem, bool]:
    """The record's item and whether this call filed it; starts again (at most three times)
    when the record got a new signed version while its copy was being made."""
    for _attempt in range(3):
        try:
            return _file_once(record_type, record_id, people)
        except _Moved:
            db.session.rollback()
        except BaseException:
            db.session.rollback()
            raise
    raise FilingRefused(_("记录在归档过程中反复变更，请稍后重试。"))


def _file_once(record_type: str, record_id: int,
               people: tuple[int, int | None]) -> tuple[ArchiveItem, bool]:
    record, version = _signed(record_type, record_id)
    item = filed_item(record_type, record_id, version.number)
    if item is not None:
        db.session.commit()
        return item, False
    draft = _draft(record, version, people)
    # End the read transaction: the write one starts with the counter's UPDATE, so SQLite
    # waits for the lock instead of failing on a snapshot that another filing made stale.
    db.session.rollback()
    try:
        item = _insert(draft)
        db.session.commit()
        return item, True
    except (_AlreadyFiled, IntegrityError):
        db.session.rollback()
        found = filed_item(record_type, record_id, draft.values["record_version"])
        if found is None:
            raise
        return found, False


def _signed(record_type: str, record_id: int) -> tuple[object, RecordVersion]:
    """The record and its latest signed version, refused unless its content is still that."""
    try:
        kind = kind_of(record_type)
        filing_kind(record_type)
    except KeyError:
        raise FilingRefused(_("该类记录不能归档。")) from None
    record = kind.load(record_id)
    if record is None:
        raise FilingRefused(_("要归档的记录不存在。"))
    check = validity(record_type, record_id, kind.snapshot(record))
    if check.state == "unsigned":
        raise FilingRefused(_("记录尚未审批生效，不能归档。"))
    if check.invalid:
        raise FilingRefused(_("记录内容与审批签字时不一致（签字失效），不能归档。"))
    return record, check.version


@dataclass
class _Draft:
    """An item ready to insert but for its number: its values, series, the number the series
    will give next, and the sealed copy made for that number with its check."""

    values: dict
    series: str
    number: str
    sealed: bytes
    check: PdfaCheck
    audit_changes: dict


def _draft(record, version: RecordVersion, people: tuple[int, int | None]) -> _Draft:
    """Everything about the item that needs no lock, and its copy for the expected number."""
    kind, filing = kind_of(version.record_type), filing_kind(version.record_type)
    rule = retention.rule_for(version.record_type)
    department = db.session.get(Department, kind.department_id(record))
    category = numbers.category_code(version.record_type, filing.category)
    year = to_local(version.created_at).year
    series = numbers.series_of(category, year, rule.code,
                               numbers.department_code(department.code.value))
    if len(series) > 60:
        raise FilingRefused(_("档号代码过长，请检查档号设置。"))
    trigger = retention.trigger_date(rule, record, version, local_today())
    values = dict(
        series=series, category=category, year=year, record_type=version.record_type,
        record_id=version.record_id, record_version=version.number,
        content_hash=version.content_hash, title=kind.title(record)[:200],
        business_number=filing.business_number(record), customer_id=filing.customer_id(record),
        department_id=department.id, confidentiality=kind.level(record),
        filed_by_id=people[0], received_by_id=people[1], retention_code=rule.code,
        retention_years=rule.years, trigger_date=trigger,
        expiry_date=retention.expiry_date(trigger, rule.years))
    number = numbers.expected_number(series)
    sealed, check = _sealed_copy(record, version, number)
    return _Draft(values, series, number, sealed, check, {
        "version": version.number, "title": values["title"]})


def _insert(draft: _Draft) -> ArchiveItem:
    """Takes the number, stores the copy (made again if the number is not the expected one)
    and adds the item with its audit event; the caller commits."""
    values = draft.values
    sequence, number = numbers.take_number(draft.series)  # the write transaction's first step
    if filed_item(values["record_type"], values["record_id"], values["record_version"]):
        raise _AlreadyFiled
    sealed, check = draft.sealed, draft.check
    if number != draft.number:
        record, version = _signed(values["record_type"], values["record_id"])
        if version.number != values["record_version"]:
            raise _Moved
        sealed, check = _sealed_copy(record, version, number)
    relative = store.relative_path(values["category"], values["year"], number)
    store.store(relative, sealed)
    item = ArchiveItem(
        **values, archive_number=number, sequence=sequence, filed_at=utcnow(),
        pages=check.pages, sha256=hashlib.sha256(sealed).hexdigest(),
        sm3=hashlib.new("sm3", sealed).hexdigest(), size=len(sealed), storage_path=relative,
        pdfa_check=check.to_json(), pdfa_passed=True, pdfa_checked_at=utcnow(),
        supersedes_id=_previous_item_id(values))
    db.session.add(item)
    record = kind_of(values["record_type"]).load(values["record_id"])
    audit.record("archive_filed", record, actor=db.session.get(User, values["filed_by_id"]),
                 changes={**draft.audit_changes, "archive_number": number, "sha256": item.sha256})
    return item


def _sealed_copy(record, version: RecordVersion, number: str) -> tuple[bytes, PdfaCheck]:
    """The record's copy with its 档号 and attachments, sealed, and its PDF/A check; refused
    when the check fails."""
    with archival_context():
        archival = Archival(_("档号：%(number)s", number=number), attachments(version))
        pdf = filing_kind(version.record_type).pdf(record, archival)
        sealed = seal(pdf, reason=_("归档封存 %(number)s", number=number))
    check = check_pdfa(sealed)
    if not check.passed:
        problems = "; ".join(f"{name}: {why}" for name, why in check.failures().items())
        raise FilingRefused(_("归档件未通过 PDF/A 检查：%(problems)s", problems=problems))
    return sealed, check


def _previous_item_id(values: dict) -> int | None:
    """The item of the record's latest earlier filed version (which this one supersedes)."""
    return db.session.scalar(select(ArchiveItem.id).where(
        ArchiveItem.record_type == values["record_type"],
        ArchiveItem.record_id == values["record_id"],
        ArchiveItem.record_version < values["record_version"])
        .order_by(ArchiveItem.record_version.desc()).limit(1))
