"""The monthly filing (issue 13 requirement 4; 004 每月分类归档): each department's list of the
records signed in the month, filed when the archivist runs it, left waiting when the timer does;
its summary reconciles (listed = filed + filed before + refused), and a run resumes."""

from datetime import datetime

from sqlalchemy import delete, func, select

from app.extensions import db
from app.models.archive import (
    ArchiveFilingRun,
    ArchiveHandover,
    ArchiveItem,
    FilingRunStatus,
    HandoverLineStatus,
    HandoverSource,
    RetentionRule,
)
from app.services.archive.handovers import execution, monthly, receipt
from app.timeutil import local_today
from tests.archive.handovers.builders import lines_of, signed_on
from tests.factories.approvals import approved_customer
from tests.factories.archive import file_as
from tests.factories.sales import approved, make_contract

S = HandoverLineStatus


def _month_lists(app) -> list[ArchiveHandover]:
    with app.app_context():
        lists = list(db.session.scalars(select(ArchiveHandover).where(
            ArchiveHandover.source == HandoverSource.MONTHLY)))
        db.session.expunge_all()
        return lists


def _last_month_moment(app) -> datetime:
    """Noon UTC on the 10th of last month (inside the month in any time zone)."""
    with app.app_context():
        month = monthly.last_month(local_today())
    return datetime(month.year, month.month, 10, 12)


def test_month_bounds_are_local_midnights(app_ctx):
    """The month runs from its first local midnight (Asia/Shanghai: 16:00 UTC the day before)
    to the next month's."""
    start, end = monthly.month_bounds(datetime(2026, 11, 1).date())
    assert (start, end) == (datetime(2026, 10, 31, 16), datetime(2026, 11, 30, 16))


def test_the_archivists_run_reconciles_every_record_of_the_month(app, client, team):
    """Signed last month: one filed before, one to file, one contract whose filing is refused
    (no retention rule for contracts); one signed this month is not listed. The run files, and
    listed 3 = filed 1 + filed before 1 + refused 1, with the refusal's reason shown."""
    moment = _last_month_moment(app)
    before = approved_customer(app, team, name="上月已归档客户")
    file_as(app, team.archivist, "Customer", before.id)
    to_file = approved_customer(app, team, name="上月待归档客户")
    contract = approved(app, team, make_contract(app, by=team.staff, name="上月合同"))
    approved_customer(app, team, name="本月客户")
    for record_type, record_id in (("Customer", before.id), ("Customer", to_file.id),
                                   ("Contract", contract.id)):
        signed_on(app, record_type, record_id, moment)
    with app.app_context():
        db.session.execute(delete(RetentionRule).where(RetentionRule.record_type == "Contract"))
        db.session.commit()
    client.login("archivist")
    response = client.post_form("/archive/handovers/monthly", {
        "month": moment.strftime("%Y-%m"), "department": str(team.staff.department_id)})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    (handover,) = _month_lists(app)
    outcome = {(x.record_type, x.record_id): x.status for x in lines_of(app, handover.id)}
    assert outcome == {("Customer", before.id): S.ALREADY_FILED,
                       ("Customer", to_file.id): S.FILED, ("Contract", contract.id): S.REFUSED}
    assert 'data-count="listed">3<' in page and 'data-balanced="yes"' in page
    assert 'data-count="filed">1<' in page and 'data-count="refused">1<' in page
    assert "保管期限" in page and 'data-status="done"' in page


def test_the_timer_leaves_the_lists_waiting_and_a_second_run_adds_nothing(app, team):
    """The 1st of the month: last month's list waits for the archivist (nothing filed); run
    again, the month's list is completed, not duplicated."""
    customer = approved_customer(app, team)
    signed_on(app, "Customer", customer.id, _last_month_moment(app))
    with app.app_context():
        execution.on_timer()
        execution.on_timer()
        assert db.session.scalar(select(func.count()).select_from(ArchiveItem)) == 0
    (handover,) = _month_lists(app)
    assert [x.status for x in lines_of(app, handover.id)] == [S.PENDING]
    assert handover.submitted_by_id is None


def test_an_interrupted_run_resumes_where_it_stopped(app, client, team, monkeypatch):
    """The run breaks on its line (中断 with 继续归档 offered, the line still accepted); resumed,
    it files the line and finishes."""
    customer = approved_customer(app, team)
    signed_on(app, "Customer", customer.id, _last_month_moment(app))
    real = receipt.file_record

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(receipt, "file_record", broken)
    client.login("archivist")
    response = client.post_form("/archive/handovers/monthly", {
        "month": _last_month_moment(app).strftime("%Y-%m"), "department": ""})
    assert "继续归档" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        run = db.session.scalars(select(ArchiveFilingRun)).one()
        assert run.status == FilingRunStatus.FAILED
    (handover,) = _month_lists(app)
    assert [x.status for x in lines_of(app, handover.id)] == [S.ACCEPTED]
    monkeypatch.setattr(receipt, "file_record", real)
    assert client.post_form(f"/archive/handovers/runs/{run.id}/resume", {}).status_code == 303
    assert [x.status for x in lines_of(app, handover.id)] == [S.FILED]
    with app.app_context():
        assert db.session.get(ArchiveFilingRun, run.id).status == FilingRunStatus.DONE


def test_a_month_still_ahead_is_refused(app, client, team):
    """No filing of a month that has not begun; a month typed wrong is a field error."""
    client.login("archivist")
    for month in ("2999-01", "2026-13", "下个月"):
        response = client.post_form("/archive/handovers/monthly", {"month": month})
        assert response.status_code == 422, month
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ArchiveFilingRun)) == 0
