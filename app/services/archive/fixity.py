"""Verifying a filed copy (the four-property check's building blocks, also run at filing): the
stored file is present, its size, SHA-256 and SM3 are those recorded, the archive seal holds,
and the structural PDF/A check still passes. Each returns a result that says what failed.

A copy is read once: SHA-256 and SM3 are fed the same blocks (hashlib releases the GIL on
them), and its bytes are kept only when a deeper check parses them."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from app.models.archive import ArchiveItem
from app.services.archive import store
from app.services.archive.pdfa import PdfaCheck, check_pdfa
from app.services.archive.seal import SealCheck, check_seal

BLOCK = 1 << 20


@dataclass
class HashCheck:
    """The stored bytes against the recorded fixity values."""

    present: bool
    size_ok: bool = False
    sha256_ok: bool = False
    sm3_ok: bool = False

    @property
    def ok(self) -> bool:
        return self.present and self.size_ok and self.sha256_ok and self.sm3_ok

    def problems(self) -> list[str]:
        if not self.present:
            return ["file missing"]
        return [text for good, text in ((self.size_ok, "size differs"),
                                        (self.sha256_ok, "SHA-256 differs"),
                                        (self.sm3_ok, "SM3 differs")) if not good]


@dataclass
class Verification:
    """All checks of one item; `ok` only when every one passed."""

    hashes: HashCheck
    seal: SealCheck | None = None
    pdfa: PdfaCheck | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def stored_bytes(item: ArchiveItem) -> bytes | None:
    """The item's stored copy, None when the file is missing."""
    try:
        return store.read(item.storage_path)
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class Digests:
    """What one read of a stored copy gives: its size, SHA-256, SM3, and its bytes if kept."""

    size: int
    sha256: str
    sm3: str
    data: bytes | None = None

    @classmethod
    def of(cls, data: bytes, keep: bool = True) -> "Digests":
        return cls(len(data), hashlib.sha256(data).hexdigest(),
                   hashlib.new("sm3", data).hexdigest(), data if keep else None)


def read_digests(path: Path, keep: bool = False) -> Digests | None:
    """Reads the file once and hashes it, streaming in blocks unless its bytes are kept; None
    when it is missing."""
    try:
        handle = open(path, "rb", buffering=0)  # noqa: SIM115 (closed below, on every path)
    except FileNotFoundError:
        return None
    with handle:
        if keep:
            return Digests.of(handle.read())
        sha256, sm3, size = hashlib.sha256(), hashlib.new("sm3"), 0
        while block := handle.read(BLOCK):
            sha256.update(block)
            sm3.update(block)
            size += len(block)
    return Digests(size, sha256.hexdigest(), sm3.hexdigest())


def compare(item, digests: Digests | None) -> HashCheck:
    """The recorded size, SHA-256 and SM3 of `item` (an ArchiveItem or a row of its table)
    against what was read."""
    if digests is None:
        return HashCheck(False)
    return HashCheck(True, digests.size == item.size, digests.sha256 == item.sha256,
                     digests.sm3 == item.sm3)


def check_hashes(item: ArchiveItem, data: bytes | None) -> HashCheck:
    """Recomputes size, SHA-256 and SM3 of the stored bytes."""
    return compare(item, None if data is None else Digests.of(data, keep=False))


def verify(item: ArchiveItem) -> Verification:
    """Hashes, seal and PDF/A structure of the item's stored copy."""
    data = stored_bytes(item)
    result = Verification(check_hashes(item, data))
    result.problems.extend(result.hashes.problems())
    if data is None:
        return result
    result.seal = check_seal(data)
    result.problems.extend(f"seal: {p}" for p in result.seal.problems)
    result.pdfa = check_pdfa(data)
    result.problems.extend(f"PDF/A {k}: {v}" for k, v in result.pdfa.failures().items())
    return result
