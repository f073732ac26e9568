"""Bad input on the handover pages is refused with a message or a 400, never a 500, and
writes nothing (DESIGN: no 500 on any input)."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.archive import ArchiveFilingRun, ArchiveHandover, HandoverLineStatus
from tests.archive.handovers.builders import lines_of, submit
from tests.factories.approvals import approved_customer

GETS = ("/archive/handovers/?department=abc&source=x&waiting=2&after=zz",
        "/archive/handovers/?q=%00&department=99999999999",
        "/archive/handovers/export.xlsx?department=-1&before=!!",
        "/archive/handovers/new?kind=NoSuchKind", "/archive/handovers/new?kind=",
        "/archive/handovers/999999", "/archive/handovers/monthly/999999")
ID_NOISE = ("abc", "-1", "0", "99999999999", "１２", "")


@pytest.mark.parametrize("url", GETS)
def test_odd_queries_never_answer_500(app, client, team, url):
    """Filters that are not values are ignored, unknown ids are 404, pages not the user's 403:
    a 4xx or a page, for the archivist and for a salesperson."""
    for persona in ("archivist", "sales1"):
        client.login(persona)
        assert client.get(url).status_code in (200, 400, 403, 404)


def test_odd_posts_are_refused_and_change_nothing(app, client, team):
    """Ids that are not ids, repeated kinds that do not pair, a reason too long: refused."""
    customer = approved_customer(app, team)
    handover = submit(app, team.staff, ("Customer", customer.id))
    client.login("sales1")
    for record_id in ID_NOISE:
        response = client.post_form("/archive/handovers/new",
                                    {"record_kind": "Customer", "record_id": record_id})
        assert response.status_code == 422, record_id
    response = client.post_form("/archive/handovers/new", {
        "record_kind": ["Customer", "Contract", "Customer"], "record_id": ["1", "2"]})
    assert response.status_code == 422
    client.login("archivist")
    url = f"/archive/handovers/{handover.id}"
    for noise in ID_NOISE:
        assert client.post_form(f"{url}/accept", {"item_ids": noise}).status_code == 303
    assert client.post_form(f"{url}/reject", {"item_ids": str(lines_of(app, handover.id)[0].id),
                                              "reason": "长" * 501}).status_code == 303
    assert client.post_form("/archive/handovers/monthly",
                            {"month": "2026-01", "department": "abc"}).status_code in (303, 422)
    assert [x.status for x in lines_of(app, handover.id)] == [HandoverLineStatus.PENDING]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ArchiveHandover)) == 1
        assert db.session.scalar(select(func.count()).select_from(ArchiveFilingRun)) <= 1
