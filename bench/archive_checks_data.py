"""The four-property check benchmark's archive: one record filed for real (PDF/A, seal, hashes,
档号, its filing event), then copied to `count` items by bulk insert: the same series numbered
on without gaps, each with its own copy of the sealed file under its own name (the same bytes,
so the catalogue's digests match) and its own filing event in the audit trail, chained as the
application chains them. Kept between runs: only regenerated when the count differs."""

import os
import shutil
import time

from sqlalchemy import func, insert, select, update

from app.extensions import db
from app.models import AuditEvent, AuditHead, Customer, NumberCounter, User
from app.models.archive import ArchiveItem
from app.models.audit import HASH_VERSION
from app.models.base import utcnow
from app.services.archive import store
from app.services.archive.filing import file_record
from app.services.core.audit import canonical_json, event_hash
from bench import archive_filing

BATCH = 5000
CLONED_IDS = 10_000_000  # the copies' record ids start after it: no real record has them
_T = ArchiveItem.__table__


def item_count() -> int:
    return db.session.scalar(select(func.count()).select_from(_T))


def intact(count: int) -> bool:
    """The database holds `count` items and the last one's file is there."""
    if item_count() != count:
        return False
    last = db.session.scalar(select(ArchiveItem.storage_path).order_by(ArchiveItem.id.desc()))
    return (store.archive_root() / last).is_file()


def generate(app, count: int) -> float:
    """Fills a fresh database (the caller removed the old one) and root; the seconds it took."""
    started = time.perf_counter()
    shutil.rmtree(store_root(app), ignore_errors=True)
    customer_id = archive_filing.prepare(app, 1)[0][1]
    with app.app_context():
        archivist = db.session.scalar(select(User).where(User.username == "bench_archivist"))
        template = file_record("Customer", customer_id, archivist)
        row = dict(db.session.execute(select(_T).where(_T.c.id == template.id)).one()._mapping)
        data = store.read(template.storage_path)
        customer = db.session.get(Customer, customer_id)
        for first in range(2, count + 1, BATCH):
            numbers = range(first, min(first + BATCH, count + 1))
            clones = [_clone(row, n) for n in numbers]
            db.session.execute(insert(_T), clones)
            _filing_events(clones, customer, archivist)
            _write_files(clones, data)
            db.session.commit()
            print(f".. {numbers[-1]} items", end="\r", flush=True)
        db.session.execute(update(NumberCounter).where(NumberCounter.key == f"DA:{row['series']}")
                           .values(value=count))
        db.session.commit()
    print()
    return time.perf_counter() - started


def store_root(app):
    with app.app_context():
        return store.archive_root()


def _clone(row: dict, sequence: int) -> dict:
    """The template's row as item `sequence` of its series, the copy of a record of its own
    (as an archive's items are: one record has a few filed versions at most)."""
    number = f"{row['series']}-{sequence:05d}"
    clone = {key: value for key, value in row.items() if key != "id"}
    clone.update(sequence=sequence, archive_number=number, record_id=CLONED_IDS + sequence,
                 storage_path=store.relative_path(row["category"], row["year"], number),
                 last_checked_at=None)
    return clone


def _write_files(clones: list[dict], data: bytes) -> None:
    """Each clone's copy, written plainly (no fsync: a benchmark's data, not an archive's)."""
    root = store.archive_root()
    (root / clones[0]["storage_path"]).parent.mkdir(parents=True, exist_ok=True)
    for clone in clones:
        fd = os.open(root / clone["storage_path"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


def _filing_events(clones: list[dict], customer: Customer, archivist: User) -> None:
    """Each clone's archive_filed event, linked into the hash chain as audit.record links it."""
    head = db.session.scalar(select(AuditHead.last_hash).where(AuditHead.id == 1))
    rows = []
    for clone in clones:
        event = AuditEvent(
            at=utcnow(), actor_id=archivist.id,
            actor_name=f"{archivist.full_name} ({archivist.username})", action="archive_filed",
            object_type="Customer", object_id=clone["record_id"],
            object_label=str(customer)[:200],
            changes=canonical_json({"archive_number": clone["archive_number"],
                                    "sha256": clone["sha256"], "title": clone["title"],
                                    "version": 1}),
            ip=None, object_level=customer.confidentiality, hash_version=HASH_VERSION)
        event.prev_hash, event.hash = head, event_hash(head, event)
        head = event.hash
        rows.append({column.key: getattr(event, column.key) for column in AuditEvent.__table__.c
                     if column.key != "id"})
    db.session.execute(insert(AuditEvent), rows)
    db.session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=head))
