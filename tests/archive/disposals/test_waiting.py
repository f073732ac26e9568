"""The waiting period after approval (ARCHIVE_DISPOSAL_WAIT_DAYS, 7 days by default): nothing can
be executed before it ends, and during it the list can be aborted (with a reason), which gives
its items back; execution needs the archivist's password (their countersignature)."""

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.models.archive import ArchiveItem, ArchiveState, DisposalList, DisposalStatus
from tests.factories.disposals import (
    approve_disposal,
    draft_disposal,
    end_waiting,
    expired_item,
    ready_disposal,
)
from tests.support import PASSWORD, fetch


def _approved(app, team):
    item = expired_item(app, team.archivist)
    disposal = draft_disposal(app, team.archivist, [item])
    approve_disposal(app, team, disposal)
    return item, disposal


def _execute(client, disposal, password=PASSWORD):
    return client.post_form(f"/archive/disposals/{disposal.id}/execute", {"password": password})


def test_nothing_is_executed_during_the_waiting_period(app, team, client, archive_root):
    """Approved a moment ago, the list cannot be executed: the archivist's attempt is refused
    and the item's copy stays."""
    item, disposal = _approved(app, team)
    client.login("archivist")
    page = client.get(f"/archive/disposals/{disposal.id}").get_data(as_text=True)
    assert 'id="disposal-waiting-period"' in page and 'id="execute-disposal"' not in page
    response = _execute(client, disposal)
    assert response.status_code == 422
    assert "等待期尚未结束" in response.get_data(as_text=True)
    assert fetch(app, DisposalList, disposal.id).status == DisposalStatus.WAITING
    assert (archive_root / item.storage_path).exists()


def test_the_waiting_period_is_configurable(app, team, monkeypatch):
    """With ARCHIVE_DISPOSAL_WAIT_DAYS = 30 the list waits thirty days."""
    monkeypatch.setitem(app.config, "ARCHIVE_DISPOSAL_WAIT_DAYS", 30)
    _item, disposal = _approved(app, team)
    approved = fetch(app, DisposalList, disposal.id)
    assert (approved.wait_until - approved.approved_at).days == 30


def test_a_list_can_be_aborted_during_its_waiting_period(app, team, client, archive_root):
    """The GM aborts with a reason: the list is 已中止, its item 在库 with its copy, and it can
    no longer be executed."""
    item, disposal = _approved(app, team)
    client.login("gm")
    assert client.post_form(f"/archive/disposals/{disposal.id}/abort",
                            {"reason": "审计署通知暂缓销毁"}).status_code == 303
    aborted = fetch(app, DisposalList, disposal.id)
    assert (aborted.status, aborted.abort_reason) == (DisposalStatus.ABORTED, "审计署通知暂缓销毁")
    assert fetch(app, ArchiveItem, item.id).state == ArchiveState.IN_STORE
    end_waiting(app, disposal)
    client.login("archivist")
    assert _execute(client, disposal).status_code == 403
    assert (archive_root / item.storage_path).exists()


def test_an_abort_needs_a_reason(app, team, client):
    _item, disposal = _approved(app, team)
    client.login("archivist")
    response = client.post_form(f"/archive/disposals/{disposal.id}/abort", {"reason": " "})
    assert response.status_code == 422
    assert fetch(app, DisposalList, disposal.id).status == DisposalStatus.WAITING


def test_after_the_waiting_period_the_archivist_countersigns_and_executes(
        app, team, client, archive_root, immediate_jobs):
    """Past the waiting period, a wrong password is refused (and counted); the right one
    countersigns (name, time, hash), and the job destroys the item; an abort is too late."""
    item = expired_item(app, team.archivist)
    disposal = ready_disposal(app, team, [item])
    client.login("archivist")
    assert _execute(client, disposal, "wrong-password").status_code == 422
    assert fetch(app, DisposalList, disposal.id).countersigned_at is None
    assert _execute(client, disposal).status_code == 303
    done = fetch(app, DisposalList, disposal.id)
    assert done.status == DisposalStatus.DONE
    assert (done.countersigned_by_id, len(done.countersign_hash)) == (team.archivist.id, 64)
    assert not (archive_root / item.storage_path).exists()
    assert client.post_form(f"/archive/disposals/{disposal.id}/abort",
                            {"reason": "太迟了"}).status_code == 403
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("archive_disposal_%")).order_by(AuditEvent.id)))
    assert actions == ["archive_disposal_created", "archive_disposal_countersigned",
                       "archive_disposal_completed"]
