"""Policy matrix: persona x retention schedule route -> status.

Rules checked (issue 13 req. 5 and 11): the administrator edits the schedule (a rule's change,
a rule for a kind without one, restarting the recompute); the archivist and the GM read it, its
history and its recompute runs, export and print it, but change nothing (403); everyone else
gets 403 everywhere. A rule has no level: clearance plays no part."""

import pytest
from sqlalchemy import delete

from app.extensions import db
from app.models.archive import RetentionRule
from app.services.archive import schedule_runs
from tests.archive.retention.conftest import rule_of
from tests.factories import snapshots
from tests.factories.world import PERSONAS, build_world

READERS = {"admin", "archivist", "gm"}
COVERED = {"archive.retention_list", "archive.retention_export", "archive.retention_print",
           "archive.retention_history", "archive.retention_history_export",
           "archive.retention_edit", "archive.retention_new", "archive.retention_recompute",
           "archive.retention_run_status"}


@pytest.fixture
@snapshots.reused(folders=("ARCHIVE_ROOT",))
def world(app):
    """The personas; the Customer kind without a rule (for the new-rule form) and a run."""
    world = build_world(app)
    with app.app_context():
        db.session.execute(delete(RetentionRule).where(RetentionRule.record_type == "Customer"))
        world.run_id = schedule_runs.request("Contract", "矩阵").id
        db.session.commit()
    world.contract_rule = rule_of(app, "Contract")
    return world


def _reads(persona: str) -> int:
    return 200 if persona in READERS else 403


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_retention_routes_follow_the_matrix(app, client, world, persona):
    """Each persona gets exactly the expected answer on every schedule route."""
    client.login(persona)
    edit = f"/archive/retention/{world.contract_rule.id}/edit"
    observed = {
        "list": client.get("/archive/retention/").status_code,
        "export": client.get("/archive/retention/export.xlsx").status_code,
        "print": client.get("/archive/retention/print.pdf").status_code,
        "history": client.get("/archive/retention/history").status_code,
        "history_export": client.get("/archive/retention/history.xlsx").status_code,
        "run": client.get(f"/archive/retention/runs/{world.run_id}").status_code,
        "edit_form": client.get(edit).status_code,
        "edit": client.post_form(edit, {
            "years": "12", "trigger": "completion", "reason": "矩阵测试",
            "stamp": world.contract_rule.updated_at.isoformat()}).status_code,
        "new_form": client.get("/archive/retention/new").status_code,
        "new": client.post_form("/archive/retention/new", {
            "record_type": "Customer", "years": "3", "trigger": "relationship_end",
            "reason": "矩阵测试"}).status_code,
        "recompute": client.post_form("/archive/retention/recompute", {}).status_code,
    }
    admin = persona == "admin"
    expected = {
        "list": _reads(persona), "export": _reads(persona), "print": _reads(persona),
        "history": _reads(persona), "history_export": _reads(persona), "run": _reads(persona),
        "edit_form": 200 if admin else 403, "edit": 303 if admin else 403,
        "new_form": 200 if admin else 403, "new": 303 if admin else 403,
        "recompute": 303 if admin else 403,
    }
    assert observed == expected


def test_the_matrix_changed_what_it_was_allowed_to(app, client, world):
    """The administrator's 303s really saved: Contract at 12 years, a Customer rule added."""
    client.login("admin")
    client.post_form(f"/archive/retention/{world.contract_rule.id}/edit", {
        "years": "12", "trigger": "completion", "reason": "矩阵测试",
        "stamp": world.contract_rule.updated_at.isoformat()})
    client.post_form("/archive/retention/new", {
        "record_type": "Customer", "years": "3", "trigger": "relationship_end",
        "reason": "矩阵测试"})
    assert (rule_of(app, "Contract").code, rule_of(app, "Customer").code) == ("D12", "D3")


def test_an_unknown_rule_or_run_is_404_for_readers(app, client, world):
    """A rule or a run that does not exist is 404, not an error."""
    client.login("admin")
    assert client.get("/archive/retention/99999/edit").status_code == 404
    assert client.get("/archive/retention/runs/99999").status_code == 404
