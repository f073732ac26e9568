"""Where filed copies live: files under ARCHIVE_ROOT (default instance/archive/), never
encrypted. Several web nodes share the root as one mounted volume (NFS or a cluster file
system mounted at the same path on each node, see docs in services/archive/__init__.py).

A copy is written atomically (temporary file, fsync, rename, fsync of the folder) before its
item's row commits; a file whose row never committed is an orphan, harmless (its 档号 was not
used, the next filing of that number replaces it) and removed by `sweep_orphans`."""

import os
import re
import time
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models.archive import ArchiveItem
from app.services.archive.holds import guard

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def archive_root() -> Path:
    configured = current_app.config.get("ARCHIVE_ROOT")
    return Path(configured) if configured else Path(current_app.instance_path) / "archive"


def relative_path(category: str, year: int, number: str) -> str:
    """The copy's place under the root: <门类>/<年度>/<档号 in ASCII>.pdf."""
    ascii_number = _UNSAFE.sub("-", number.replace("·", "-"))
    return f"{_UNSAFE.sub('-', category)}/{year}/{ascii_number}.pdf"


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Writes the whole file or nothing: a reader never sees part of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def store(relative: str, data: bytes) -> None:
    write_atomic(archive_root() / relative, data)


def read(relative: str) -> bytes:
    """The stored copy's bytes; FileNotFoundError when it is missing."""
    return (archive_root() / relative).read_bytes()


def sweep_orphans(grace_minutes: int | None = None) -> list[str]:
    """Removes copies and temporary files that no item names, older than the grace period (a
    younger one may belong to a filing about to commit); returns what it removed."""
    grace = grace_minutes if grace_minutes is not None else \
        current_app.config["ARCHIVE_ORPHAN_GRACE_MINUTES"]
    root, cutoff = archive_root(), time.time() - grace * 60
    if not root.is_dir():
        return []
    known = set(db.session.scalars(select(ArchiveItem.storage_path)))
    removed = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        candidate = path.suffix in (".pdf", ".tmp") and path.is_file()
        if candidate and relative not in known and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed.append(relative)
    return removed


def destroy_copy(item: ArchiveItem) -> None:
    """Deletes a filed item's stored copy: disposal's one way to destroy content. Refuses
    (guard.DestroyRefused) unless holds.guard.can_destroy allows it under the item's row lock,
    in the caller's transaction, which marks the item destroyed and commits."""
    guard.require_destroyable(item)
    (archive_root() / item.storage_path).unlink(missing_ok=True)
