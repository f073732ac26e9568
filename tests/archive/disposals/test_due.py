"""The due list and a new list: only items in store whose retention has ended, that no hold
covers and no loan has out, may go on a list (of one department); an item on a list is
待销毁 and on no other list."""

from datetime import timedelta

from app.extensions import db
from app.models import DeptCode, Level
from app.models.archive import ArchiveItem, ArchiveState, DisposalList
from tests.factories.archive import catalogue_item
from tests.factories.disposals import draft_disposal, expired_item, hold
from tests.support import fetch, sheet, today


def _due_page(client, **args) -> str:
    return client.get("/archive/disposals/new", query_string=args).get_data(as_text=True)


def test_the_due_list_shows_only_items_whose_retention_ended(app, team, client):
    """Expired and in store: listed. Expiring tomorrow, permanent, held, lent, or on another
    list: not listed."""
    due = expired_item(app, team.archivist)
    later = catalogue_item(app, team.archivist, expiry_date=today(app) + timedelta(days=1))
    permanent = catalogue_item(app, team.archivist, expiry_date=None)
    held = expired_item(app, team.archivist)
    hold(app, team.archivist, held)
    lent = expired_item(app, team.archivist, state=ArchiveState.ON_LOAN)
    listed = expired_item(app, team.archivist)
    draft_disposal(app, team.archivist, [listed])
    client.login("archivist")
    page = _due_page(client)
    shown = {i.archive_number for i in (due, later, permanent, held, lent, listed)
             if i.archive_number in page}
    assert shown == {due.archive_number}


def test_the_due_list_filters_by_department_and_exports(app, team, client):
    """The department filter keeps its items; the export has the same rows."""
    sales = expired_item(app, team.archivist)
    service = expired_item(app, team.archivist, dept=DeptCode.SERVICE)
    client.login("archivist")
    with app.app_context():
        service_dept = db.session.get(ArchiveItem, service.id).department_id
    page = _due_page(client, department=service_dept)
    assert service.archive_number in page and sales.archive_number not in page
    rows = sheet(client.get("/archive/disposals/due.xlsx", query_string={
        "department": service_dept}))
    assert [row[0] for row in rows[1:]] == [service.archive_number]


def test_a_list_takes_items_of_one_department(app, team, client):
    """Items of two departments are refused with a reason, and stay in store."""
    items = [expired_item(app, team.archivist),
             expired_item(app, team.archivist, dept=DeptCode.SERVICE)]
    client.login("archivist")
    response = client.post_form("/archive/disposals/new",
                                {"item_ids": [str(i.id) for i in items]})
    assert response.status_code == 422
    assert "同一部门" in response.get_data(as_text=True)
    assert {fetch(app, ArchiveItem, i.id).state for i in items} == {ArchiveState.IN_STORE}


def test_an_item_no_longer_due_is_refused(app, team, client):
    """An item held since the page was shown cannot go on the list; nothing is drafted."""
    item = expired_item(app, team.archivist)
    hold(app, team.gm, item)
    client.login("archivist")
    response = client.post_form("/archive/disposals/new", {"item_ids": [str(item.id)]})
    assert response.status_code == 422
    assert "已不在到期待销毁清单中" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(DisposalList).count() == 0


def test_nothing_ticked_is_refused(app, team, client):
    client.login("archivist")
    response = client.post_form("/archive/disposals/new", {"appraisal": "无"})
    assert response.status_code == 422
    assert "请勾选" in response.get_data(as_text=True)


def test_the_new_list_takes_its_highest_items_level(app, team, client):
    """Posted with `item_ids` (the stable interface), the list is drafted with the level of its
    highest item and the items are 待销毁."""
    items = [expired_item(app, team.archivist),
             expired_item(app, team.archivist, level=Level.SECRET)]
    client.login("archivist")
    response = client.post_form("/archive/disposals/new",
                                {"item_ids": [str(i.id) for i in items],
                                 "appraisal": "合同已履行完毕十年，无保存价值"})
    assert response.status_code == 303
    with app.app_context():
        disposal = db.session.query(DisposalList).one()
        assert (disposal.confidentiality, disposal.appraisal) == (
            Level.SECRET, "合同已履行完毕十年，无保存价值")
    assert {fetch(app, ArchiveItem, i.id).state for i in items} == {ArchiveState.DUE}
