"""Policy matrix for the working-time calendar's pages: persona × route. The calendar is a
setting: administrators read and change it; for everyone else every route is 403 (the page is
not a record whose existence could leak). tests/test_route_matrix.py finds this module by its
name (…test_policy_matrix) and checks every calendar route is listed in COVERED."""

from datetime import date

import pytest

from app.extensions import db
from app.services.core import worktime_settings
from tests.factories.people import make_people
from tests.factories.world import PERSONAS
from tests.support import in_app

COVERED = {"admin.calendar_index", "admin.calendar_export", "admin.calendar_exception_add",
           "admin.calendar_exception_delete", "admin.calendar_intervals_save"}


def _only_admin(yes: int) -> dict:
    return {p: (yes if p == "admin" else 403) for p in PERSONAS}


ROUTES = [
    ("GET", "/admin/calendar/", None, _only_admin(200)),
    ("GET", "/admin/calendar/?year=2027", None, _only_admin(200)),
    ("GET", "/admin/calendar/export.xlsx?year=2026", None, _only_admin(200)),
    ("POST", "/admin/calendar/exceptions",
     {"day": "2026-10-02", "working": "1", "note": "赶工"}, _only_admin(303)),
    ("POST", "/admin/calendar/exceptions/{eid}/delete", {}, _only_admin(303)),
    ("POST", "/admin/calendar/intervals", {"starts": "09:00", "ends": "18:00"},
     _only_admin(303)),
]


@pytest.fixture
def exception_id(app):
    """An exception (27 Sep made working) entered by the administrator."""
    users = make_people(app, *PERSONAS)
    with in_app(app):
        exception = worktime_settings.add_exception(date(2026, 9, 27), True, "赶工",
                                                    users["admin"])
        db.session.commit()
        return exception.id


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_calendar_routes_follow_the_matrix(client, exception_id, persona):
    """Only the administrator reaches the calendar; every other persona gets 403."""
    client.login(persona)
    observed, expected = {}, {}
    for method, url, data, statuses in ROUTES:
        url = url.format(eid=exception_id)
        response = client.post_form(url, data) if method == "POST" else client.get(url)
        observed[f"{method} {url}"] = response.status_code
        expected[f"{method} {url}"] = statuses[persona]
    assert observed == expected


def test_a_missing_exception_is_404_for_the_administrator(client, exception_id):
    """Deleting an exception that does not exist (any more) is 404, not a 500."""
    client.login("admin")
    assert client.post_form("/admin/calendar/exceptions/999999/delete", {}).status_code == 404
