"""Kinds of records: what the parts that handle a record of any department need from it (its
snapshot, title, department, level, link), registered by each domain's plug_in. The approval
engine, the policy's "who may see what this request is about", printing and archive filing read
this registry, so none of them imports a department. A kind may also register its card: what an
approver reads of the frozen snapshot before signing it."""

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import aliased

from app.models import Level, RecordVersion
from app.services.core.notifications import Link


class RecordKind(Protocol):
    """One type of record (customers, contracts, change requests…), named by `record_type` as
    approval requests, versions and audit events name it."""

    record_type: str

    def load(self, record_id: int): ...
    def subject(self, record): ...  # the business record it is about (itself, or the changed one)
    def snapshot(self, record) -> dict: ...
    def department_id(self, record) -> int: ...
    def level(self, record) -> Level: ...
    def title(self, record) -> str: ...
    def link(self, record) -> Link: ...


_KINDS: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> None:
    """Plugs a kind in; the first registered for a record type stays its kind (several flows
    may sign the same type of record)."""
    _KINDS.setdefault(kind.record_type, kind)


def kind_of(record_type: str) -> RecordKind:
    """The kind of records of this type; KeyError for a type no domain registered."""
    return _KINDS[record_type]


def record_types() -> list[str]:
    """Every registered record type (the check that each kind brings its card walks them)."""
    return sorted(_KINDS)


def subject_of(record_type: str, record_id: int):
    """The business record that a record of this type is about."""
    kind = kind_of(record_type)
    return kind.subject(kind.load(record_id))


@dataclass(frozen=True)
class Figure:
    """One key figure of a record, as the inbox row shows it (label, value as read)."""

    label: str
    value: str


@dataclass
class Card:
    """What the approver reads before signing: a template rendered with `context` (values
    already loaded and formatted: templates never query), and for a change the old → new rows
    (each with label, old, new)."""

    template: str
    context: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)


class CardMaker(Protocol):
    """Builds a kind's card from the snapshot a request froze (what is signed, not the live
    record); `record` is the request's record, for what a change keeps beside its snapshot."""

    def card(self, snapshot: dict, record) -> Card: ...
    def figures(self, snapshots: list[dict]) -> list[list[Figure]]: ...  # one list per snapshot


_CARDS: dict[str, CardMaker] = {}


def register_card(record_type: str, maker: CardMaker) -> None:
    """Plugs in how records of this type are shown to their signers (one call per kind)."""
    _CARDS[record_type] = maker


def card_maker(record_type: str) -> CardMaker | None:
    """The card maker of this record type; None when its domain registered none."""
    return _CARDS.get(record_type)


class FilingKind(Protocol):
    """What archive filing needs of a signed kind beyond its RecordKind (services/archive reads
    it; adding a kind to the archive is this one registration). `category` is its 门类 code in
    the 档号 (KH 客户档案, HT 合同…) unless the config's ARCHIVE_CATEGORY_CODES names another."""

    category: str

    def business_number(self, record) -> str: ...
    def customer_id(self, record) -> int | None: ...
    # The date of a retention trigger event (a RetentionTrigger code other than signing and
    # filing, which the archive knows itself); None while the event is still ahead.
    def trigger_date(self, record, trigger: str): ...
    # The record as signed, rendered with core.pdf.render_archival(template, archival, ...).
    def pdf(self, record, archival) -> bytes: ...

    # The kind's model (its table), which policy.scope narrows to what a user may hand over.
    model: type

    # The department's records whose latest signed version was signed in [start, end) (naive
    # UTC; None leaves that end open), as latest_signed() selects them: what a handover list
    # (归档移交单) may offer and the monthly filing files.
    def eligible(self, department_id: int, start, end) -> Select: ...


_FILING: dict[str, FilingKind] = {}


def register_filing(record_type: str, kind: FilingKind) -> None:
    """Makes signed records of this type fileable into the archive (one call per kind)."""
    _FILING[record_type] = kind


def filing_kind(record_type: str) -> FilingKind:
    """How records of this type are filed; KeyError for a type that cannot be filed."""
    return _FILING[record_type]


def filing_types() -> list[str]:
    """Every record type that can be filed."""
    return sorted(_FILING)


def latest_signed(record_type: str, model, department_id: int, start=None, end=None) -> Select:
    """(record_id, version, signed_at) of the department's `model` rows whose latest signed
    version (RecordVersion) dates from [start, end): FilingKind.eligible of a kind whose
    table has `department_id`. Only the latest version counts: filing files that one."""
    newer = aliased(RecordVersion)
    query = (select(model.id.label("record_id"), RecordVersion.number.label("version"),
                    RecordVersion.created_at.label("signed_at"))
             .join(RecordVersion, and_(RecordVersion.record_type == record_type,
                                       RecordVersion.record_id == model.id))
             .where(model.department_id == department_id,
                    ~exists().where(newer.record_type == record_type,
                                    newer.record_id == model.id,
                                    newer.number > RecordVersion.number)))
    if start is not None:
        query = query.where(RecordVersion.created_at >= start)
    if end is not None:
        query = query.where(RecordVersion.created_at < end)
    return query
