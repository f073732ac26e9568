"""Running a scheme's item checks: over one item (`check_item`, at filing and at receipt) or a
chunk of the job's rows (`check_rows`). An item fails (不通过) when a blocking check fails,
warns (警告) when only non-blocking ones do, and passes otherwise.

A missing file is one finding (电子文件存在); with that check switched off, every check that
needs the file fails instead: a check never passes because it could not look."""

import json
import os
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, or_, select

from app.extensions import db
from app.models import AuditEvent
from app.models.archive import ArchiveCheckScheme, ArchiveItem, CheckOutcome
from app.models.base import utcnow
from app.services.archive import store
from app.services.archive.checks import probes, scheme
from app.services.archive.fixity import Digests, read_digests

FILING_ACTION = "archive_filed"  # services/archive/filing records the item's SHA-256 with it
READERS = min(4, os.cpu_count() or 1)


@dataclass(frozen=True)
class Finding:
    code: str
    blocking: bool
    detail: str


@dataclass
class ItemResult:
    item_id: int
    findings: list[Finding]

    @property
    def outcome(self) -> CheckOutcome:
        if any(finding.blocking for finding in self.findings):
            return CheckOutcome.FAILED
        return CheckOutcome.WARNING if self.findings else CheckOutcome.PASSED

    @property
    def ok(self) -> bool:
        """Not failed: it may carry warnings."""
        return self.outcome != CheckOutcome.FAILED

    def problems(self) -> list[str]:
        return [f"{finding.code}: {finding.detail}" for finding in self.findings]


class Plan:
    """A scheme version ready to run: its enabled settings, item checks first."""

    def __init__(self, version: ArchiveCheckScheme):
        enabled = [s for s in scheme.settings(version) if s.enabled]
        self.item_checks = [s for s in enabled if not s.check.archive_wide]
        self.archive_wide = [s for s in enabled if s.check.archive_wide]
        codes = {s.code for s in self.item_checks}
        self.keeps_content = any(s.check.content for s in self.item_checks)
        self.reads_audit = "unaltered" in codes
        self.reports_missing = "content_present" in codes


def check_item(item: ArchiveItem) -> ItemResult:
    """The current scheme's item checks over one filed item (run at filing and at receipt);
    notes the item's last-checked time, the caller commits."""
    result = check_rows([item], Plan(scheme.current()), store.archive_root())[0]
    item.last_checked_at = utcnow()
    return result


def check_rows(rows: list, plan: Plan, root: Path) -> list[ItemResult]:
    """Each item's result, in the rows' order (items or rows of the items' table)."""
    filed = filed_digests(rows) if plan.reads_audit else {}
    digests = _digests(rows, plan, root)
    return [_check(row, plan, digests(row), filed.get(row.archive_number)) for row in rows]


def _digests(rows: list, plan: Plan, root: Path) -> Callable[[object], Digests | None]:
    """How each row's copy is read. Hashing alone, the chunk's files are read and hashed on
    READERS threads at once (file reads and hashlib release the GIL, SM3 is the costly part);
    a copy the checks parse is read as its turn comes, so that a chunk of large files is
    never held in memory at once."""
    if plan.keeps_content or len(rows) == 1:
        return lambda row: read_digests(root / row.storage_path, plan.keeps_content)

    def read(part: list) -> list[tuple[int, Digests | None]]:
        return [(row.id, read_digests(root / row.storage_path)) for row in part]

    with ThreadPoolExecutor(max_workers=READERS) as pool:
        parts = pool.map(read, [rows[start::READERS] for start in range(READERS)])
        found = dict(pair for part in parts for pair in part)
    return lambda row: found[row.id]


def _check(item, plan: Plan, digests: Digests | None, filed_sha256: str | None) -> ItemResult:
    copy = probes.Copy(item, digests, filed_sha256)
    findings = []
    for setting in plan.item_checks:
        if copy.digests is None and setting.code in probes.ON_FILE:
            if plan.reports_missing:
                continue
            detail = "file missing"
        else:
            detail = probes.PROBES[setting.code](copy)
        if detail:
            findings.append(Finding(setting.code, setting.blocking, detail))
    return ItemResult(item.id, findings)


def filed_digests(rows: list) -> dict[str, str]:
    """档号 → the SHA-256 its filing event recorded in the (hash-chained) audit trail, for the
    rows' records: one query through the events' object index."""
    by_type = defaultdict(set)
    for row in rows:
        by_type[row.record_type].add(row.record_id)
    if not by_type:
        return {}
    events = db.session.scalars(select(AuditEvent.changes).where(
        AuditEvent.action == FILING_ACTION,
        or_(*(and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_(ids))
              for kind, ids in by_type.items()))))
    recorded = {}
    for changes in events:
        values = json.loads(changes)
        if "archive_number" in values:
            recorded[values["archive_number"]] = values.get("sha256")
    return recorded
