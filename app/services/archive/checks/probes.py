"""Each item check over one stored copy, by its scheme code: None when it passes, else what is
wrong (a short technical note; the report names the check in the reader's language).

A Copy reads the file once (services/archive/fixity: SHA-256 and SM3 from the same blocks) and
parses it at most once per parser, only for the checks that need it. `item` is an ArchiveItem
or a row of its table: the job reads rows, check_item an item."""

import re
from collections.abc import Callable
from functools import cached_property

from app.services.archive.chain import SIGNATURES_FILE, SNAPSHOT_FILE, read_attachment
from app.services.archive.checks import chain_check
from app.services.archive.fixity import Digests
from app.services.archive.numbers import SEQUENCE_WIDTH
from app.services.archive.pdfa import PdfaCheck, check_pdfa
from app.services.archive.seal import SealCheck, check_seal

_HEX64 = re.compile(r"[0-9a-f]{64}")
# The GB/T 18894-style elements every item must describe: 档号, 题名, 门类, 年度, 保管期限,
# 机构(问题), 密级, 页数, 归档时间, 归档人, 业务编号, 记录类型及标识, 内容摘要, 计算机文件名,
# 文件大小.
REQUIRED = ("archive_number", "series", "category", "year", "title", "retention_code",
            "department_id", "confidentiality", "pages", "filed_at", "filed_by_id",
            "business_number", "record_type", "record_id", "record_version", "content_hash",
            "storage_path", "size")
# Checks that read the stored file (all but metadata, the file's presence, and unaltered,
# whose comparison of the catalogue with the audit trail stands without it).
ON_FILE = frozenset({"sha256", "sm3", "size", "seal", "signatures", "pdfa", "opens",
                     "not_encrypted"})
_OWN_CHECKS = ("readable", "not_encrypted")  # reported by opens and not_encrypted


class Copy:
    """One item with what was read of its stored copy (None: the file is missing) and the
    SHA-256 its filing recorded in the audit trail (None: no such event)."""

    def __init__(self, item, digests: Digests | None, filed_sha256: str | None):
        self.item, self.digests, self.filed_sha256 = item, digests, filed_sha256

    @cached_property
    def pdfa(self) -> PdfaCheck:
        return check_pdfa(self.digests.data)

    @cached_property
    def seal(self) -> SealCheck:
        return check_seal(self.digests.data)

    @cached_property
    def attached(self) -> tuple[dict, dict] | str:
        """(snapshot, signature chain) attached to the copy, or why they cannot be read."""
        try:
            return (read_attachment(self.digests.data, SNAPSHOT_FILE),
                    read_attachment(self.digests.data, SIGNATURES_FILE))
        except Exception as error:  # noqa: BLE001 (a missing or damaged attachment fails)
            return f"attachments unreadable: {type(error).__name__}: {error}"[:300]


def _sha256(copy: Copy) -> str | None:
    if copy.digests.sha256 != copy.item.sha256:
        return f"recorded {copy.item.sha256[:16]}…, stored copy {copy.digests.sha256[:16]}…"
    return None


def _sm3(copy: Copy) -> str | None:
    if copy.digests.sm3 != copy.item.sm3:
        return f"recorded {copy.item.sm3[:16]}…, stored copy {copy.digests.sm3[:16]}…"
    return None


def _size(copy: Copy) -> str | None:
    if copy.digests.size != copy.item.size:
        return f"recorded {copy.item.size} bytes, stored copy {copy.digests.size} bytes"
    return None


def _present(copy: Copy) -> str | None:
    return "file missing" if copy.digests is None else None


def _seal(copy: Copy) -> str | None:
    return None if copy.seal.valid else "; ".join(copy.seal.problems)


def _signatures(copy: Copy) -> str | None:
    attached = copy.attached
    if isinstance(attached, str):
        return attached
    return "; ".join(chain_check.problems(copy.item, *attached)) or None


def _pdfa(copy: Copy) -> str | None:
    failures = {name: why for name, why in copy.pdfa.failures().items()
                if name not in _OWN_CHECKS}
    return "; ".join(f"{name}: {why}" for name, why in failures.items()) or None


def _opens(copy: Copy) -> str | None:
    readable = copy.pdfa.results.get("readable")
    if readable is not True:
        return str(readable)
    if copy.pdfa.pages != copy.item.pages:
        return f"{copy.pdfa.pages} pages, {copy.item.pages} catalogued"
    return None


def _not_encrypted(copy: Copy) -> str | None:
    state = copy.pdfa.results.get("not_encrypted")
    return None if state is True else str(state or "not checked: unreadable")


def _metadata(copy: Copy) -> str | None:
    item = copy.item
    missing = [name for name in REQUIRED if getattr(item, name) in (None, "", 0)]
    if not (_HEX64.fullmatch(item.sha256 or "") and _HEX64.fullmatch(item.sm3 or "")):
        missing.append("digests")
    if item.archive_number != f"{item.series}-{item.sequence:0{SEQUENCE_WIDTH}d}":
        missing.append("archive_number does not match series and sequence")
    return ("missing or malformed: " + ", ".join(missing)) if missing else None


def _unaltered(copy: Copy) -> str | None:
    recorded = copy.filed_sha256
    if recorded is None:
        return "no filing event in the audit trail"
    if recorded != copy.item.sha256:
        return "catalogue SHA-256 differs from the one recorded at filing"
    if copy.digests is not None and copy.digests.sha256 != recorded:
        return "stored copy differs from the one filed"
    return None


PROBES: dict[str, Callable[[Copy], str | None]] = {
    "sha256": _sha256, "sm3": _sm3, "size": _size, "content_present": _present,
    "seal": _seal, "signatures": _signatures, "pdfa": _pdfa, "opens": _opens,
    "not_encrypted": _not_encrypted, "metadata": _metadata, "unaltered": _unaltered,
}
