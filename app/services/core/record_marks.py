"""Marks that one domain puts on another's record page: the archive's 档号 of a filed contract,
say. A domain registers a source in its plug_in; a record page asks for its record's marks
without importing that domain. A source answers only what the viewer may see, in a fixed
number of statements."""

from collections.abc import Callable
from dataclasses import dataclass

from app.services.core.notifications import Link


@dataclass(frozen=True)
class RecordMark:
    label: str  # what the value is (档号)
    value: str
    link: Link | None = None  # its own page, when the viewer may open it
    kind: str = ""  # a stable code for the page's markup and tests (data-mark)


MarkSource = Callable[[str, int, object], list[RecordMark]]  # (record_type, id, viewer)
_SOURCES: dict[str, MarkSource] = {}


def register(name: str, source: MarkSource) -> None:
    """Adds (or replaces) the mark source `name`."""
    _SOURCES[name] = source


def marks(record_type: str, record_id: int, viewer) -> list[RecordMark]:
    """Every registered source's marks of the record for `viewer`, in registration order."""
    return [mark for source in _SOURCES.values()
            for mark in source(record_type, record_id, viewer)]
