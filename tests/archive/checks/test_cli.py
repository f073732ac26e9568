"""`flask archive check`: 0 when every item passes (warnings allowed), 1 when an item fails,
2 for a 档号 that names no item; `--item` checks that item alone; the run is kept."""

from sqlalchemy import func, select

from app.extensions import db
from app.models.archive import ArchiveCheckRun, CheckTrigger
from tests.archive.checks.tampering import flip_byte, set_columns
from tests.factories.archive import filed_customer


def _check(app, *args):
    return app.test_cli_runner().invoke(args=["archive", "check", *args])


def test_a_clean_archive_exits_zero_and_keeps_the_run(app, team):
    """Every item passes: exit 0, the summary counts it, and the run is stored."""
    filed_customer(app, team)
    result = _check(app)
    assert result.exit_code == 0, result.output
    assert "1 items, 1 passed" in result.output and "conclusion: passed" in result.output
    with app.app_context():
        run = db.session.scalars(select(ArchiveCheckRun)).one()
        assert run.trigger == CheckTrigger.COMMAND and run.requested_by_id is None


def test_a_failed_item_exits_one_and_is_named(app, team, archive_root):
    """A changed byte in one item: exit 1 with its 档号 and the failed checks printed; a
    warning alone (incomplete metadata on the other) does not fail the run."""
    broken, warned = filed_customer(app, team), filed_customer(app, team)
    flip_byte(archive_root / broken.storage_path)
    set_columns(app, warned.id, title="")
    result = _check(app)
    assert result.exit_code == 1
    assert f"FAILED   {broken.archive_number}" in result.output and "sha256:" in result.output
    assert f"WARNING  {warned.archive_number}" in result.output
    assert _check(app, "--item", warned.archive_number).exit_code == 0


def test_one_item_by_its_number(app, team, archive_root):
    """--item checks that item only: the other's damage does not count; an unknown 档号 is 2."""
    good, broken = filed_customer(app, team), filed_customer(app, team)
    (archive_root / broken.storage_path).unlink()
    result = _check(app, "--item", good.archive_number)
    assert result.exit_code == 0 and "1 items, 1 passed" in result.output
    assert _check(app, "--item", broken.archive_number).exit_code == 1
    missing = _check(app, "--item", "TZ-XX·1999-D3-XS-99999")
    assert missing.exit_code == 2 and "no archive item" in missing.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ArchiveCheckRun)) == 2
