"""The four-property check (四性检测, DA/T 70-2018) of the archive: authenticity, integrity,
usability and security of filed items, item by item and archive-wide.

- scheme: the check items and the versioned, configurable scheme (dimension, blocking, on/off).
- probes: each item check over one stored copy, read once.
- engine: `check_item(item)` (run at filing and at receipt) and the checks of a chunk of items.
- archive_wide: what no single item shows (档号 continuity per series, the audit chain).
- runs: the resumable background job over all or part of the archive.
- report: the report's summary, its failure list and export, its signature and its PDF.
- lists: the runs' list and export.

The report is signed by the archivist re-entering their password (as an approval is): the
signature binds the signer, the time and the SHA-256 of the report's content; if any result
changes afterwards the report says 签字失效. A person's signature, not the archive seal: the seal
attests that the archive holds a copy unchanged, the report is someone's finding."""

from app.services.archive.checks.engine import ItemResult, check_item

__all__ = ["ItemResult", "check_item"]
