"""The follow-up routes (issue 12 req. 2): a post goes back to the record (303) or, for htmx,
re-renders the section; refusals (future time, empty points, closed, abandoned) keep the form
as typed with a Chinese message and save nothing (422)."""

from sqlalchemy import func, select

from app.extensions import db
from app.models.service.follow_ups import ServiceFollowUp
from app.models.service.records import ServiceRecord, ServiceStatus
from tests.queries import counted
from tests.service.follow_ups.conftest import add, minutes_ago
from tests.support import form_token, in_app


def _at(app, minutes: int) -> str:
    """The form's value of a local time that many minutes ago."""
    with in_app(app):
        return minutes_ago(minutes).strftime("%Y-%m-%dT%H:%M")


def _form(app, **fields) -> dict:
    values = {"communicated_at": _at(app, 5),
              "points": "客户确认已收到备件", "result": "unresolved", "progress": "",
              "next_action": "3月15日前反馈客户意见", "next_due": "", "remarks": ""}
    values.update(fields)
    return values


def _saved(app) -> int:
    with in_app(app):
        return db.session.scalar(select(func.count()).select_from(ServiceFollowUp))


def test_a_post_goes_back_to_the_record(app, client, team, record_of):
    """The handler's follow-up is saved and the browser goes back to the record (303)."""
    record = record_of()
    client.login("cs1")
    response = client.post_form(f"/service/records/{record.id}/follow-ups", _form(app))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/service/records/{record.id}")
    assert _saved(app) == 1


def test_htmx_re_renders_the_section(app, client, team, record_of):
    """An htmx post answers with the section holding the new follow-up and tells the page."""
    record = record_of()
    client.login("cs1")
    response = client.post_form(f"/service/records/{record.id}/follow-ups",
                                _form(app, points="上门更换主板"), headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="follow-ups"' in page
    assert "上门更换主板" in page and "follow-up-added" in response.headers["HX-Trigger"]
    assert "<html" not in page


def test_a_future_time_is_refused(app, client, team, record_of):
    """沟通时间 later than now: 422, the message on the field, nothing saved."""
    record = record_of()
    client.login("cs1")
    later = _at(app, -90)
    response = client.post_form(f"/service/records/{record.id}/follow-ups",
                                _form(app, communicated_at=later), headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "沟通时间不能晚于现在。" in response.get_data(as_text=True)
    assert _saved(app) == 0


def test_empty_points_are_refused(app, client, team, record_of):
    """沟通要点 blank (spaces only): 422 with 请填写沟通要点, what was typed kept."""
    record = record_of()
    client.login("cs1")
    response = client.post_form(f"/service/records/{record.id}/follow-ups",
                                _form(app, points="   ", progress="等待客户回电"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请填写沟通要点。" in page and "等待客户回电" in page
    assert _saved(app) == 0


def test_a_closed_record_refuses_the_post(app, client, team, record_of):
    """A closed record: 422 with the reason, no follow-up saved, and no form offered."""
    record = record_of(status=ServiceStatus.CLOSED)
    client.login("cs1")
    response = client.post_form(f"/service/records/{record.id}/follow-ups", _form(app),
                                headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "不再跟进" in page
    assert 'id="follow-up-form"' not in page
    assert _saved(app) == 0


def test_an_abandoned_record_refuses_the_post(app, client, team, record_of):
    """After 客户放弃 the next post is refused (422) and nothing more is saved."""
    record = record_of()
    client.login("cs1")
    first = client.post_form(f"/service/records/{record.id}/follow-ups",
                             _form(app, result="abandoned"))
    second = client.post_form(f"/service/records/{record.id}/follow-ups", _form(app),
                              headers={"HX-Request": "true"})
    assert (first.status_code, second.status_code) == (303, 422)
    assert "客户已放弃" in second.get_data(as_text=True)
    assert _saved(app) == 1
    with in_app(app):
        assert db.session.get(ServiceRecord, record.id).abandoned is True


def test_the_same_form_sent_twice_saves_once(app, client, team, record_of):
    """@once: a double click answers with the first result instead of a second follow-up."""
    record = record_of()
    client.login("cs1")
    data = {**_form(app), "once_token": form_token(client)}
    client.post_form(f"/service/records/{record.id}/follow-ups", dict(data))
    again = client.post_form(f"/service/records/{record.id}/follow-ups", dict(data))
    assert again.status_code == 303 and _saved(app) == 1


def test_the_section_costs_the_same_with_many_follow_ups(app, client, team, record_of):
    """The section loads its follow-ups and their people in a fixed number of statements:
    30 follow-ups by different people cost what 3 do (templates never query)."""
    record = record_of()
    client.login("cs1")
    url = f"/service/records/{record.id}/follow-ups"

    def statements() -> int:
        with counted() as counter:
            response = client.post_form(url, _form(app, points=""), headers={"HX-Request": "true"})
        assert response.status_code == 422
        return counter.count

    with in_app(app):
        for n in range(3):
            add(record.id, team.cs2 if n % 2 else team.cs1)
    few = statements()
    with in_app(app):
        for n in range(27):
            add(record.id, [team.cs1, team.cs2, team.cs_mgr][n % 3])
    assert statements() == few


def test_the_record_page_shows_the_section(app, client, team, record_of):
    """The record's page includes the section: the next due date and, for its 负责人, the
    form; the GM reads the follow-ups without a form."""
    record = record_of()
    with in_app(app):
        add(record.id, team.cs1, points="首次电话回访")
    client.login("cs1")
    page = client.get(f"/service/records/{record.id}").get_data(as_text=True)
    assert "首次电话回访" in page and 'id="follow-up-form"' in page
    assert "data-next-due=" in page
    client.login("gm")
    page = client.get(f"/service/records/{record.id}").get_data(as_text=True)
    assert "首次电话回访" in page and 'id="follow-up-form"' not in page
