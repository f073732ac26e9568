"""The check as a run over part or all of the archive: archive-wide findings (档号 continuity),
blocking and warning items and the scheme version recorded, what a scope covers, and a run that
resumes after an interruption without counting any item twice."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Level, NumberCounter
from app.models.archive import (
    ArchiveCheckResult,
    ArchiveCheckRun,
    ArchiveNumberVoid,
    ArchiveState,
    CheckOutcome,
    CheckRunStatus,
    CheckScope,
    CheckTrigger,
)
from app.models.base import utcnow
from app.services.archive.checks import engine, runs, scheme, scopes
from tests.archive.checks.tampering import check_all, set_columns
from tests.factories.archive import filed_contract, filed_customer
from tests.support import today


def _open_gap(app, item) -> int:
    """The series' counter moved one past its last item, as a filing lost after taking its
    number would leave it; returns the missing 件号."""
    with app.app_context():
        key = f"DA:{item.series}"
        db.session.execute(update(NumberCounter).where(NumberCounter.key == key)
                           .values(value=NumberCounter.value + 1))
        db.session.commit()
        return db.session.scalar(select(NumberCounter.value).where(NumberCounter.key == key))


def test_a_number_gap_fails_the_run_until_it_is_voided(app, team):
    """A 件号 neither filed nor voided fails the archive-wide continuity check; recorded as a
    void with its reason, the same series passes."""
    item = filed_customer(app, team)
    missing = _open_gap(app, item)
    run = check_all(app)
    assert run.conclusion == CheckOutcome.FAILED and run.failed == 0
    assert f"{item.series}: sequence {missing} neither filed nor voided" in run.findings
    with app.app_context():
        db.session.add(ArchiveNumberVoid(
            archive_number=f"{item.series}-{missing:05d}", series=item.series, sequence=missing,
            reason="号已取未归档", voided_by_id=team.archivist.id))
        db.session.commit()
    assert check_all(app).conclusion == CheckOutcome.PASSED


def test_blocking_decides_between_failed_and_warning(app, team):
    """The same metadata failure warns under the default scheme and fails under a version
    that makes it blocking; each run records the version it used."""
    item = filed_customer(app, team)
    set_columns(app, item.id, title="")
    first = check_all(app)
    assert (first.conclusion, first.warned, first.failed) == (CheckOutcome.WARNING, 1, 0)
    with app.app_context():
        chosen = [scheme.Setting(s.check, s.dimension, True if s.code == "metadata"
                                 else s.blocking, s.enabled)
                  for s in scheme.settings(scheme.current())]
        version = scheme.save(chosen, "元数据不全不得通过", team.archivist).id
        db.session.commit()
    second = check_all(app)
    assert (second.conclusion, second.warned, second.failed) == (CheckOutcome.FAILED, 0, 1)
    assert second.scheme_id == version != first.scheme_id


def test_a_disabled_check_does_not_run(app, team, archive_root):
    """A check switched off in the scheme is not run; with 电子文件存在 off, a missing file
    fails every check that needs the file instead of passing them."""
    item = filed_customer(app, team)
    (archive_root / item.storage_path).unlink()
    with app.app_context():
        chosen = [scheme.Setting(s.check, s.dimension, s.blocking,
                                 s.code in ("content_present", "sha256", "metadata"))
                  for s in scheme.settings(scheme.current())]
        scheme.save(chosen, "只查文件", team.archivist)
        db.session.commit()
        result = engine.check_item(db.session.get(type(item), item.id))
        assert {f.code for f in result.findings} == {"content_present"}
        scheme.save([scheme.Setting(s.check, s.dimension, s.blocking, s.code == "sha256")
                     for s in chosen], "只查摘要", team.archivist)
        db.session.commit()
        result = engine.check_item(db.session.get(type(item), item.id))
        assert [(f.code, f.detail) for f in result.findings] == [("sha256", "file missing")]


def test_a_scope_covers_only_its_items(app, team):
    """By record type, department, selection or filing period (its last day included): only
    those items; items above the requester's clearance and destroyed items never."""
    customer, contract = filed_customer(app, team), filed_contract(app, team)
    kinds = check_all(app, scopes.ScopeChoice(CheckScope.KIND, record_type="Contract"))
    chosen = check_all(app, scopes.ScopeChoice(CheckScope.SELECTION, item_ids=[customer.id]))
    department = check_all(app, scopes.ScopeChoice(CheckScope.DEPARTMENT,
                                                   department_id=contract.department_id))
    assert (kinds.total, chosen.total, department.total) == (1, 1, 2)
    day = today(app)
    filed_today = check_all(app, scopes.ScopeChoice(CheckScope.PERIOD, filed_from=day,
                                                    filed_to=day))
    filed_before = check_all(app, scopes.ScopeChoice(
        CheckScope.PERIOD, filed_from=day - timedelta(days=30), filed_to=day - timedelta(days=1)))
    assert (filed_today.total, filed_before.total) == (2, 0)
    set_columns(app, customer.id, confidentiality=Level.CONFIDENTIAL)
    set_columns(app, contract.id, state=ArchiveState.DESTROYED)
    with app.app_context():
        run = scopes.request(scopes.ScopeChoice(), team.archivist, CheckTrigger.PAGE)
        db.session.commit()
        runs.run(run.id)
        assert db.session.get(ArchiveCheckRun, run.id).total == 0


def test_an_interrupted_run_resumes_without_counting_twice(app, team, archive_root,
                                                           monkeypatch):
    """A run that fails after its first chunk keeps that chunk; run again, it goes on from
    there and ends with each item counted once and each failure recorded once."""
    items = [filed_customer(app, team) for _ in range(3)]
    (archive_root / items[0].storage_path).unlink()
    real, calls = engine.check_rows, []

    def failing_second_chunk(rows, plan, root):
        calls.append(len(rows))
        if len(calls) == 2:
            raise OSError("disk went away")
        return real(rows, plan, root)

    monkeypatch.setattr(engine, "check_rows", failing_second_chunk)
    with app.app_context():
        run_id = scopes.request(scopes.ScopeChoice(), None, CheckTrigger.PAGE).id
        db.session.commit()
        with pytest.raises(OSError):
            runs.run(run_id, chunk=1)
        halted = db.session.get(ArchiveCheckRun, run_id)
        assert (halted.status, halted.processed, halted.failed) == (CheckRunStatus.FAILED, 1, 1)
        assert "disk went away" in halted.error and runs.resumable(halted)
        runs.run(run_id, chunk=1)
        db.session.expire_all()
        done = db.session.get(ArchiveCheckRun, run_id)
        results = db.session.scalar(select(func.count()).select_from(ArchiveCheckResult))
    assert (done.status, done.processed, done.passed, done.failed) == (
        CheckRunStatus.DONE, 3, 2, 1)
    assert results == 1 and done.total == 3


def test_a_run_whose_worker_died_resumes_only_once_stale(app, team):
    """A run left running by a killed worker is taken up again once it has had no committed
    chunk for STALE, and not while another worker may still be on it."""
    filed_customer(app, team)
    with app.app_context():
        run_id = scopes.request(scopes.ScopeChoice(), None, CheckTrigger.PAGE).id
        db.session.execute(update(ArchiveCheckRun).where(ArchiveCheckRun.id == run_id).values(
            status=CheckRunStatus.RUNNING, heartbeat_at=utcnow()))
        db.session.commit()
        runs.run(run_id)
        assert db.session.get(ArchiveCheckRun, run_id).status == CheckRunStatus.RUNNING
        db.session.execute(update(ArchiveCheckRun).where(ArchiveCheckRun.id == run_id).values(
            heartbeat_at=utcnow() - runs.STALE - timedelta(minutes=1)))
        db.session.commit()
        runs.run(run_id)
        db.session.expire_all()
        run = db.session.get(ArchiveCheckRun, run_id)
        assert (run.status, run.processed, run.passed) == (CheckRunStatus.DONE, 1, 1)
