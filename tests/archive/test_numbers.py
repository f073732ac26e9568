"""档号: gap-free per series under concurrent filing and crashes; never reused; voids recorded."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import NumberCounter, User
from app.models.archive import ArchiveItem, ArchiveNumberVoid
from app.services.archive import filing, numbers, store
from app.services.archive.filing import FilingRefused, file_record
from app.services.archive.numbers import NumberRefused, series_gaps, void_number
from app.services.archive.pdfa import PdfaCheck
from tests.archive.conftest import PG
from tests.factories.approvals import approved_customer
from tests.factories.archive import file_as

ROOT = Path(__file__).resolve().parents[2]


def _items(app) -> list[tuple[str, int, str]]:
    with app.app_context():
        return list(db.session.execute(select(
            ArchiveItem.archive_number, ArchiveItem.sequence, ArchiveItem.storage_path)
            .order_by(ArchiveItem.sequence)))


def _counter(app, series: str) -> int | None:
    with app.app_context():
        return db.session.scalar(select(NumberCounter.value).where(
            NumberCounter.key == f"DA:{series}"))


def test_a_failure_after_the_number_was_taken_uses_no_number(app, team, monkeypatch):
    """A filing that fails after taking its 档号 (the copy cannot be written) or whose copy
    fails its PDF/A check leaves no item and no used number: the next filing gets 00001."""
    customers = [approved_customer(app, team) for _ in range(2)]

    def disk_full(relative, data):
        raise OSError("disk full")

    failed = PdfaCheck({"readable": True}, 1)
    with app.app_context():
        archivist = db.session.get(User, team.archivist.id)
        monkeypatch.setattr(store, "store", disk_full)
        with pytest.raises(OSError):
            file_record("Customer", customers[0].id, archivist)
        monkeypatch.undo()
        monkeypatch.setattr(filing, "check_pdfa", lambda data: failed)
        with pytest.raises(FilingRefused):
            file_record("Customer", customers[0].id, archivist)
        monkeypatch.undo()
        assert db.session.scalar(select(func.count()).select_from(ArchiveItem)) == 0
    item = file_as(app, team.archivist, "Customer", customers[1].id)
    assert item.archive_number.endswith("-00001") and _counter(app, item.series) == 1


def test_copy_is_made_again_when_another_filing_took_the_expected_number(
        app, team, archive_root, monkeypatch):
    """The copy is made for the number the series will give next; if another filing took that
    number meanwhile, the filed copy prints the number actually taken."""
    customer = approved_customer(app, team)
    monkeypatch.setattr(numbers, "expected_number", lambda series: f"{series}-00099")
    item = file_as(app, team.archivist, "Customer", customer.id)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(
        archive_root / item.storage_path).pages)
    assert item.sequence == 1 and item.archive_number in text and "00099" not in text


def test_void_is_recorded_with_its_reason_and_the_number_never_returns(app, team):
    """Voiding needs a reason, happens once, keeps the item; the next filing takes the next
    number; continuity accounts for the void."""
    first, second = (approved_customer(app, team) for _ in range(2))
    item = file_as(app, team.archivist, "Customer", first.id)
    with app.app_context():
        stored, archivist = db.session.get(ArchiveItem, item.id), db.session.get(
            User, team.archivist.id)
        with pytest.raises(NumberRefused):
            void_number(stored, " ", archivist)
        void_number(stored, "归档错误：重复件", archivist)
        db.session.commit()
        with pytest.raises(NumberRefused):
            void_number(stored, "再次作废", archivist)
    assert file_as(app, team.archivist, "Customer", second.id).sequence == 2
    with app.app_context():
        assert series_gaps() == {}
        db.session.execute(delete(ArchiveItem).where(ArchiveItem.sequence == 2))
        assert series_gaps() == {item.series: [2]}  # a missing item is a gap
        db.session.add(ArchiveNumberVoid(archive_number=f"{item.series}-00002",
                                         series=item.series, sequence=2, reason="遗失",
                                         voided_by_id=team.archivist.id))
        assert series_gaps() == {}  # unless a void accounts for its number
        db.session.rollback()


def test_series_codes_come_from_the_configuration(app, team, monkeypatch):
    """全宗号, 门类 and 机构 codes are configurable."""
    monkeypatch.setitem(app.config, "ARCHIVE_FONDS_CODE", "HX")
    monkeypatch.setitem(app.config, "ARCHIVE_CATEGORY_CODES", {"Customer": "KD"})
    monkeypatch.setitem(app.config, "ARCHIVE_DEPARTMENT_CODES", {"sales": "SL"})
    item = file_as(app, team.archivist, "Customer", approved_customer(app, team).id)
    assert item.archive_number.startswith("HX-KD·") and item.archive_number.endswith(
        "-D3-SL-00001")


@pytest.mark.skipif(not PG, reason="row locks under concurrent filing: PostgreSQL")
def test_concurrent_filing_is_gap_free_on_postgresql(app, team):
    """Four threads filing twelve records of one series (two of them filed twice at once) make
    件号 1..N exactly once each, one item per record."""
    records = [approved_customer(app, team).id for _ in range(10)]
    work = records + records[:2]
    errors = []

    def worker(share):
        with app.app_context():
            archivist = db.session.get(User, team.archivist.id)
            for record_id in share:
                try:
                    file_record("Customer", record_id, archivist)
                except Exception as error:  # noqa: BLE001 (collected and reported below)
                    errors.append(error)
            db.session.remove()

    threads = [threading.Thread(target=worker, args=(work[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = _items(app)
    assert [sequence for _, sequence, _ in rows] == list(range(1, len(records) + 1))
    with app.app_context():
        assert series_gaps() == {}
        assert _counter(app, rows[0][0].rsplit("-", 1)[0]) == len(records)


def _worker(app, archive_root, seal_dir, pause_at: int, records: list[int]):
    command = [sys.executable, "-m", "tests.archive.filing_worker",
               app.config["SQLALCHEMY_DATABASE_URI"], str(archive_root), str(seal_dir),
               str(pause_at), *(f"Customer:{r}" for r in records)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})


def _read_until(process, prefix: str, times: int) -> list[str]:
    lines = []
    while sum(line.startswith(prefix) for line in lines) < times:
        line = process.stdout.readline()
        assert line, f"worker ended early: {lines}"
        lines.append(line.strip())
    return lines


def test_kill_9_in_a_batch_leaves_no_number_without_its_item(app, team, archive_root,
                                                            seal_dir):
    """A filing process killed (SIGKILL) after writing its third copy and before committing:
    every used 档号 has its item and its file, numbering stays continuous, the orphan copy is
    swept, and the next filing takes the number the dead one never used."""
    records = [approved_customer(app, team).id for _ in range(5)]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    process = _worker(app, archive_root, seal_dir, 3, records)
    try:
        _read_until(process, "stored", 3)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    rows = _items(app)
    assert [sequence for _, sequence, _ in rows] == [1, 2]
    assert all((archive_root / path).is_file() for _, _, path in rows)
    with app.app_context():
        assert series_gaps() == {}
        orphans = store.sweep_orphans(grace_minutes=0)
    assert len(orphans) == 1 and not (archive_root / orphans[0]).exists()
    item = file_as(app, team.archivist, "Customer", records[2])
    assert item.sequence == 3 and item.storage_path == orphans[0]
    assert (archive_root / item.storage_path).is_file()


def test_sweep_keeps_filed_copies_and_young_orphans(app, team, archive_root):
    """The sweep removes only copies no item names and older than the grace period."""
    item = file_as(app, team.archivist, "Customer", approved_customer(app, team).id)
    young = archive_root / "KH" / "2026" / "young.pdf"
    young.write_bytes(b"%PDF-")
    with app.app_context():
        assert store.sweep_orphans() == []
        assert store.sweep_orphans(grace_minutes=0) == ["KH/2026/young.pdf"]
    assert (archive_root / item.storage_path).is_file()


def test_series_is_refused_when_codes_are_too_long(app, team, monkeypatch):
    """A 档号 series longer than its column is refused before a number is taken."""
    monkeypatch.setitem(app.config, "ARCHIVE_FONDS_CODE", "X" * 60)
    customer = approved_customer(app, team)
    with app.app_context(), pytest.raises(FilingRefused):
        file_record("Customer", customer.id, db.session.get(User, team.archivist.id))
