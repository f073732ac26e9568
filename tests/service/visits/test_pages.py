"""The 回访 pages: the list shows overdue visits and filters them (due, overdue, done,
rescheduled, assignee, dates), recording a visit (and planning the next), rescheduling only
with a reason, the manager assigning, the export, and flat query counts."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.service.visits import ReturnVisit, ReturnVisitStatus
from tests.queries import assert_flat
from tests.service.visits.conftest import days, make_visit, visits
from tests.support import fetch, sheet


@pytest.fixture
def seen(app, team):
    """cs1's visits: one overdue, one due in two days, one done; cs2's one due today."""
    return {
        "late": make_visit(app, team.customer, team.cs1, days(app, -3)),
        "soon": make_visit(app, team.customer, team.cs1, days(app, 2)),
        "done": make_visit(app, team.customer, team.cs1, days(app, -10),
                           status=ReturnVisitStatus.DONE),
        "other": make_visit(app, team.customer, team.cs2, days(app, 0)),
    }


def _ids(page: str, seen: dict) -> set[str]:
    return {name for name, visit in seen.items() if f'data-visit="{visit.id}"' in page}


def test_overdue_is_visible_and_filterable(client, seen):
    """A due visit past its date reads 已逾期 in the list, and the overdue filter keeps only
    it; the due filter keeps every open one; staff see only their own."""
    client.login("cs1")
    page = client.get("/service/visits/").get_data(as_text=True)
    assert _ids(page, seen) == {"late", "soon", "done"}
    assert f'data-visit="{seen["late"].id}" class="table-warning"' in page
    assert 'data-status="overdue"' in page and "已逾期" in page
    overdue = client.get("/service/visits/?status=overdue").get_data(as_text=True)
    assert _ids(overdue, seen) == {"late"}
    due = client.get("/service/visits/?status=due").get_data(as_text=True)
    assert _ids(due, seen) == {"late", "soon"}
    done = client.get("/service/visits/?status=done").get_data(as_text=True)
    assert _ids(done, seen) == {"done"}


def test_manager_filters_by_assignee_and_date(app, client, seen, team):
    """The 客服 manager sees the department's visits and narrows them by assignee or dates."""
    client.login("cs_mgr")
    assert _ids(client.get("/service/visits/").get_data(as_text=True), seen) == set(seen)
    mine = client.get(f"/service/visits/?assignee={team.cs2.id}").get_data(as_text=True)
    assert _ids(mine, seen) == {"other"}
    window = f"/service/visits/?start={days(app, 0)}&end={days(app, 3)}"
    assert _ids(client.get(window).get_data(as_text=True), seen) == {"soon", "other"}


def test_a_digit_python_reads_but_int_refuses_is_an_ignored_filter(client, seen):
    """Rule: a bad filter is ignored, never a 500: '²' passes str.isdigit() but is no number
    int() reads, as an assignee or as the satisfaction of a recorded visit."""
    client.login("cs_mgr")
    response = client.get("/service/visits/?assignee=%C2%B2")
    assert response.status_code == 200
    assert _ids(response.get_data(as_text=True), seen) == set(seen)


def test_empty_list_says_visits_are_generated(client, team):
    """With no visits, the list says how they come to be."""
    client.login("cs1")
    page = client.get("/service/visits/").get_data(as_text=True)
    assert 'id="empty-state"' in page and "自动生成" in page


def test_recording_a_visit_with_a_next_date_plans_the_next(app, client, seen):
    """Recording marks the visit done with the survey answers; a next date makes a new due
    visit linked to it; the same form sent twice saves once."""
    client.login("cs1")
    visit_id = seen["soon"].id
    # Yesterday morning: a visit time later than now is refused, and 09:30 today is later
    # than now before 09:30 in the company's zone.
    form = {"method": "phone", "visited_at": f"{days(app, -1)}T09:30", "record": "设备运行良好",
            "satisfaction": "5", "intention": "yes", "objections": "响应速度需提升",
            "next_date": str(days(app, 30)), "next_plan": "一个月后电话回访",
            "once_token": _token(client)}
    assert client.post_form(f"/service/visits/{visit_id}/record", form).status_code == 303
    assert client.post_form(f"/service/visits/{visit_id}/record", form).status_code == 303
    visit = fetch(app, ReturnVisit, visit_id)
    assert (visit.status, visit.satisfaction, visit.objections) == (
        ReturnVisitStatus.DONE, 5, "响应速度需提升")
    following = visits(app, previous_id=visit_id)
    assert [(v.due_date, v.status) for v in following] == [(days(app, 30),
                                                            ReturnVisitStatus.DUE)]


def _token(client) -> str:
    from tests.support import form_token

    return form_token(client)


def test_recording_refuses_a_bad_score_and_a_missing_record(client, seen, app):
    """Satisfaction is 1–5 and the 访问记录 is required: the form comes back (422)."""
    client.login("cs1")
    url = f"/service/visits/{seen['soon'].id}/record"
    response = client.post_form(url, {"method": "phone", "visited_at": f"{days(app, -1)}T09:30",
                                      "record": "", "satisfaction": "9"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "请填写访问记录" in text and "满意度为 1–5 分" in text
    assert fetch(app, ReturnVisit, seen["soon"].id).status == ReturnVisitStatus.DUE


def test_reschedule_needs_a_reason(app, client, seen):
    """Without a reason nothing changes (422); with one the visit is 已改期 and a new visit
    takes the new date, linked to it."""
    client.login("cs1")
    url = f"/service/visits/{seen['late'].id}/reschedule"
    refused = client.post_form(url, {"due_date": str(days(app, 5)), "reason": "  "})
    assert refused.status_code == 422 and "请填写改期原因" in refused.get_data(as_text=True)
    assert fetch(app, ReturnVisit, seen["late"].id).status == ReturnVisitStatus.DUE
    moved = client.post_form(url, {"due_date": str(days(app, 5)), "reason": "客户出差"})
    assert moved.status_code == 303
    old = fetch(app, ReturnVisit, seen["late"].id)
    assert (old.status, old.reason) == (ReturnVisitStatus.RESCHEDULED, "客户出差")
    assert [v.due_date for v in visits(app, previous_id=old.id)] == [days(app, 5)]


def test_reschedule_refuses_a_past_date(app, client, seen):
    """The new date is today or later."""
    client.login("cs1")
    response = client.post_form(f"/service/visits/{seen['soon'].id}/reschedule",
                                {"due_date": str(days(app, -1)), "reason": "客户出差"})
    assert response.status_code == 422 and "不能早于今天" in response.get_data(as_text=True)


def test_manager_assigns_an_unassigned_visit(app, client, team):
    """An unassigned visit (no service handler) is listed as 未分配 for the manager, who gives
    it to cs2; cs2 then sees it, cs1 does not."""
    visit = make_visit(app, team.customer, None, days(app, 1))
    client.login("cs_mgr")
    assert f'data-visit="{visit.id}"' in client.get(
        "/service/visits/?assignee=none").get_data(as_text=True)
    response = client.post_form(f"/service/visits/{visit.id}/assign",
                                {"assignee": str(team.cs2.id)})
    assert response.status_code == 303
    assert fetch(app, ReturnVisit, visit.id).assignee_id == team.cs2.id
    client.login("cs2")
    assert client.get(f"/service/visits/{visit.id}").status_code == 200
    client.login("cs1")
    assert client.get(f"/service/visits/{visit.id}").status_code == 404


def test_export_has_the_filtered_rows_with_their_status(client, seen):
    """The export is the list as filtered, every page; an overdue row says 已逾期."""
    client.login("cs1")
    rows = sheet(client.get("/service/visits/export.xlsx?status=overdue"))
    assert len(rows) == 2 and rows[1][0] == seen["late"].id and rows[1][5] == "已逾期"


def test_list_statements_do_not_grow_with_rows(app, client, team):
    """The list sends as many statements for 25 visits as for 3 (names in one statement)."""
    client.login("cs_mgr")

    def add(n):
        for i in range(n):
            make_visit(app, team.customer, team.cs1 if i % 2 else None, days(app, i))

    page = assert_flat(client, "/service/visits/", add, few=3, many=25)
    assert page.count("data-visit=") == 20


def test_detail_shows_the_subject_and_the_record(app, client, seen, team):
    """A done visit's page shows who visited and the record; a due one offers record and
    reschedule to its assignee only."""
    client.login("cs1")
    page = client.get(f"/service/visits/{seen['soon'].id}").get_data(as_text=True)
    assert 'id="record-visit"' in page and team.customer.name in page
    client.login("cs_mgr")
    assert 'id="assign-form"' in client.get(
        f"/service/visits/{seen['soon'].id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ReturnVisit.status).where(
            ReturnVisit.id == seen["done"].id)) == ReturnVisitStatus.DONE


def test_service_home_lists_the_visits_ledger(client, team):
    """The 客服台账 home links to 回访 for 客服 people."""
    client.login("cs1")
    assert "/service/visits/" in client.get("/service/").get_data(as_text=True)
