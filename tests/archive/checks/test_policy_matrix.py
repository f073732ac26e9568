"""Policy matrix: persona x four-property check route -> status.

Rules checked: the archivist and the GM start runs, resume them, read reports (page, progress,
PDF, failure export) and save the scheme; the archivist alone signs a report; the auditor reads
runs, reports and the scheme and changes nothing; everyone else gets 403 on the lists and 404
on a run (they may not know it exists)."""

import pytest

from app.extensions import db
from app.models.archive import ArchiveCheckRun, CheckTrigger
from app.services.archive.checks import runs, scopes
from app.services.archive.checks.scheme import CHECKS
from tests.factories.world import PERSONAS, build_world
from tests.support import PASSWORD

RUNNERS, READERS = {"archivist", "gm"}, {"archivist", "gm", "auditor"}
COVERED = {"archive.check_list", "archive.check_export", "archive.check_new",
           "archive.check_detail", "archive.check_status", "archive.check_resume",
           "archive.check_sign", "archive.check_report", "archive.check_failures_export",
           "archive.check_scheme"}


def _expected(persona: str) -> dict:
    reads, starts = persona in READERS, persona in RUNNERS
    area, on_run = (200, 200) if reads else (403, 404)
    return {
        "list": area, "export": area, "scheme": area, "detail": on_run, "status": on_run,
        "report": on_run, "failures": on_run,
        "new": 200 if starts else 403, "start": 303 if starts else 403,
        "resume": 303 if starts else (403 if reads else 404),
        "sign": 303 if persona == "archivist" else (403 if reads else 404),
        "save_scheme": 303 if starts else 403,
    }


def _finished_run(app) -> int:
    with app.app_context():
        run_id = scopes.request(scopes.ScopeChoice(), None, CheckTrigger.COMMAND).id
        db.session.commit()
        runs.run(run_id)
        return run_id


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_check_routes_follow_the_matrix(app, client, persona):
    """Each persona gets exactly the expected answer on every check route."""
    build_world(app)
    run_id = _finished_run(app)
    client.login(persona)
    url = f"/archive/checks/{run_id}"
    scheme_rows = {f"dimension-{check.code}": check.dimension.value for check in CHECKS}
    observed = {
        "list": client.get("/archive/checks/").status_code,
        "export": client.get("/archive/checks/export.xlsx").status_code,
        "scheme": client.get("/archive/checks/scheme").status_code,
        "detail": client.get(url).status_code,
        "status": client.get(f"{url}/status").status_code,
        "report": client.get(f"{url}/report.pdf").status_code,
        "failures": client.get(f"{url}/failures.xlsx").status_code,
        "new": client.get("/archive/checks/new").status_code,
        "start": client.post_form("/archive/checks/new", {"scope": "all"}).status_code,
        "resume": client.post_form(f"{url}/resume", {}).status_code,
        "sign": client.post_form(f"{url}/sign", {"password": PASSWORD}).status_code,
        "save_scheme": client.post_form("/archive/checks/scheme", {
            "note": "矩阵", "enabled-sha256": "y", **scheme_rows}).status_code,
    }
    assert observed == _expected(persona)


def test_the_matrix_acted_where_it_was_allowed(app, client):
    """The archivist's allowed posts really acted: a run started, the report signed."""
    build_world(app)
    run_id = _finished_run(app)
    client.login("archivist")
    client.post_form(f"/archive/checks/{run_id}/sign", {"password": PASSWORD})
    client.post_form("/archive/checks/new", {"scope": "all"})
    with app.app_context():
        assert db.session.get(ArchiveCheckRun, run_id).signed_by_id is not None
        assert db.session.query(ArchiveCheckRun).count() == 2
