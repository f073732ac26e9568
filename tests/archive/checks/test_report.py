"""The check's pages: starting a run, its report and failure list, the archivist's signature
(and 签字失效 when a result changes afterwards), the printed report and the failure export,
the reader's clearance over the failure list, and the scheme's versions."""

from sqlalchemy import select, update

from app.extensions import db
from app.models import Level
from app.models.archive import ArchiveCheckResult, ArchiveCheckRun, ArchiveCheckScheme
from app.services.archive.checks.scheme import CHECKS
from tests.archive.checks.tampering import check_all, flip_byte, set_columns
from tests.factories.archive import filed_customer
from tests.factories.people import make_people
from tests.support import PASSWORD, pdf_text, sheet


def _start(client, **fields):
    return client.post_form("/archive/checks/new", {"scope": "all", **fields})


def _latest_run_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(ArchiveCheckRun.id).order_by(ArchiveCheckRun.id.desc()))


def test_a_run_started_on_the_page_reports_the_failing_item(app, client, team, archive_root):
    """A run over chosen 档号 checks them (the job runs), and its page lists the failing one
    with the failed checks under their names and the scheme version; its progress widget,
    polled once the run has ended, makes the page reload."""
    good, broken = filed_customer(app, team), filed_customer(app, team)
    flip_byte(archive_root / broken.storage_path)
    client.login("archivist")
    response = _start(client, scope="selection",
                      numbers=f"{good.archive_number}\n{broken.archive_number}")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-status="done"' in page and 'data-outcome="failed"' in page
    assert f'id="result-{broken.id}"' in page and f'id="result-{good.id}"' not in page
    assert "SHA-256 摘要值与归档时一致" in page and "第 1 版" in page
    status = client.htmx("GET", f"{response.headers['Location']}/status")
    assert status.headers.get("HX-Refresh") == "true"  # ended: the page reloads its report


def test_the_new_form_refuses_an_incomplete_scope(app, client, team):
    """A department scope without a department, or a 档号 that names no item: 422 with the
    reason, and no run."""
    client.login("archivist")
    department = _start(client, scope="department")
    unknown = _start(client, scope="selection", numbers="TZ-KH·2000-D3-XS-00001")
    assert (department.status_code, unknown.status_code) == (422, 422)
    assert "请选择要检测的部门" in department.get_data(as_text=True)
    assert "以下档号不存在：TZ-KH·2000-D3-XS-00001" in unknown.get_data(as_text=True)
    assert _latest_run_id(app) is None


def test_the_archivist_signs_and_a_later_change_voids_the_signature(app, client, team,
                                                                   archive_root):
    """A wrong password signs nothing; the right one signs (签字有效, the hash shown); a result
    row changed afterwards makes the report 签字失效 on its page and in its print."""
    broken = filed_customer(app, team)
    flip_byte(archive_root / broken.storage_path)
    client.login("archivist")
    _start(client)
    run_id = _latest_run_id(app)
    url = f"/archive/checks/{run_id}"
    client.post_form(f"{url}/sign", {"password": "wrong-password"})
    assert 'data-signature="unsigned"' in client.get(url).get_data(as_text=True)
    client.post_form(f"{url}/sign", {"password": PASSWORD})
    assert 'data-signature="valid"' in client.get(url).get_data(as_text=True)
    text = pdf_text(client.get(f"{url}/report.pdf").data)
    assert "档案四性检测报告" in text and broken.archive_number in text
    assert "不通过" in text and "SHA-256" in text
    with app.app_context():
        db.session.execute(update(ArchiveCheckResult).values(problems='[["size", "x"]]'))
        db.session.commit()
    assert 'id="signature-invalid"' in client.get(url).get_data(as_text=True)
    assert "签字失效" in pdf_text(client.get(f"{url}/report.pdf").data)


def test_the_failure_list_keeps_to_the_readers_clearance(app, client, team, archive_root):
    """A GM's run over a failing 机密 item: the GM sees it in the list and the export, the
    archivist (秘密) is told a result is hidden and never sees its 档号."""
    item = filed_customer(app, team)
    set_columns(app, item.id, confidentiality=Level.CONFIDENTIAL)
    (archive_root / item.storage_path).unlink()
    client.login("gm")
    _start(client)
    run_id = _latest_run_id(app)
    assert item.archive_number in client.get(f"/archive/checks/{run_id}").get_data(as_text=True)
    assert item.archive_number in str(sheet(client.get(f"/archive/checks/{run_id}/failures.xlsx")))
    client.login("archivist")
    page = client.get(f"/archive/checks/{run_id}").get_data(as_text=True)
    assert item.archive_number not in page and 'id="hidden-results"' in page
    assert item.archive_number not in str(sheet(client.get(
        f"/archive/checks/{run_id}/failures.xlsx")))
    assert item.archive_number not in pdf_text(client.get(
        f"/archive/checks/{run_id}/report.pdf").data)


def test_saving_the_scheme_makes_a_version_the_next_run_records(app, client, team):
    """The scheme saves as a new version (refused when nothing is enabled); the auditor reads
    it without a form to save; a run records the version it used."""
    make_people(app, "auditor")
    client.login("archivist")
    rows = {"dimension-sha256": "authenticity", "enabled-sha256": "y"}
    empty = client.post_form("/archive/checks/scheme", {"note": "空方案", **_dimensions()})
    assert empty.status_code == 422 and "至少要启用一项检测" in empty.get_data(as_text=True)
    saved = client.post_form("/archive/checks/scheme", {"note": "只查 SHA-256",
                                                        **_dimensions(), **rows})
    assert saved.status_code == 303
    run = check_all(app)
    with app.app_context():
        assert db.session.get(ArchiveCheckScheme, run.scheme_id).version == 2
    client.login("auditor")
    page = client.get("/archive/checks/scheme").get_data(as_text=True)
    assert "当前第 2 版" in page and 'id="save-scheme"' not in page


def _dimensions() -> dict:
    return {f"dimension-{check.code}": check.dimension.value for check in CHECKS}


def test_bad_input_is_refused_on_the_form_never_a_500(app, client, team):
    """Unknown choices, malformed ids and dates, a backwards period, junk scheme rows and an
    absurd cursor: each is a 4xx with the reason, and no run or version is made."""
    client.login("archivist")
    posts = [
        {"scope": "everything"}, {"scope": "department", "department_id": "x'1"},
        {"scope": "department", "department_id": "99999999999"},
        {"scope": "kind", "record_type": "Nothing"},
        {"scope": "period", "filed_from": "2026-13-01", "filed_to": "2026-01-01"},
        {"scope": "period", "filed_from": "2026-03-01", "filed_to": "2026-01-01"},
        {"scope": "selection", "numbers": "", "item_ids": "abc"},
    ]
    assert [_start(client, **post).status_code for post in posts] == [422] * len(posts)
    junk = client.post_form("/archive/checks/scheme", {"note": "x", "dimension-sha256": "??"})
    assert junk.status_code == 422 and "检测维度" in junk.get_data(as_text=True)
    assert client.get("/archive/checks/?after=garbage").status_code == 400
    assert _latest_run_id(app) is None
