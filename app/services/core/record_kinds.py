"""Kinds of records: what the parts that handle a record of any department need from it (its
snapshot, title, department, level, link), registered by each domain's plug_in. The approval
engine, the policy's "who may see what this request is about", printing and archive filing read
this registry, so none of them imports a department."""

from typing import Protocol

from app.models import Level
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


def subject_of(record_type: str, record_id: int):
    """The business record that a record of this type is about."""
    kind = kind_of(record_type)
    return kind.subject(kind.load(record_id))
