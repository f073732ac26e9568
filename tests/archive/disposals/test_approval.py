"""A disposal list's path: drafted by the archivist from due items (which become 待销毁), reviewed
(审核) by the manager of the items' department, approved (批准) by the GM, through the engine;
signers read its items on the card; a reviewer's keep decision is honoured at execution, also
when the GM signs in a batch; a rejected list gives its items back."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalRequest, Decision, DeptCode, Level, Meaning, RequestStatus
from app.models.archive import (
    ArchiveItem,
    ArchiveState,
    DisposalEntry,
    DisposalList,
    DisposalStatus,
    EntryOutcome,
)
from tests.factories.approvals import latest_request_id, sign, sign_as
from tests.factories.disposals import (
    approve_disposal,
    draft_disposal,
    end_waiting,
    execute,
    expired_item,
)
from tests.factories.people import make_people
from tests.support import PASSWORD, fetch


def _request(app, disposal) -> ApprovalRequest:
    return fetch(app, ApprovalRequest, latest_request_id(app, disposal.id, "DisposalList"))


def _signatures(app, disposal) -> list[tuple[str, Meaning]]:
    with app.app_context():
        request = db.session.get(ApprovalRequest,
                                 latest_request_id(app, disposal.id, "DisposalList"))
        return [(s.signer_name, s.meaning) for s in request.signatures]


def test_the_department_manager_reviews_then_the_gm_approves(app, team):
    """Drafted, the items are 待销毁 and the sales manager's step waits; after 审核 and 批准 the
    list waits out its period (7 days by default) before anyone may execute it."""
    items = [expired_item(app, team.archivist) for _ in range(2)]
    disposal = draft_disposal(app, team.archivist, items)
    assert {fetch(app, ArchiveItem, i.id).state for i in items} == {ArchiveState.DUE}
    with app.app_context():
        request = db.session.get(ApprovalRequest,
                                 latest_request_id(app, disposal.id, "DisposalList"))
        assert [a.user_id for a in request.assignments] == [team.manager.id]
    approve_disposal(app, team, disposal)
    approved = fetch(app, DisposalList, disposal.id)
    assert approved.status == DisposalStatus.WAITING
    assert (approved.wait_until - approved.approved_at).days == 7
    assert _signatures(app, disposal) == [(team.manager.full_name, Meaning.REVIEW),
                                          (team.gm.full_name, Meaning.APPROVAL)]


def test_a_service_list_goes_to_the_service_manager(app, team):
    """The reviewer is the manager of the items' department, not of the archivist's."""
    cs_mgr = make_people(app, "cs_mgr")["cs_mgr"]
    item = expired_item(app, team.archivist, dept=DeptCode.SERVICE)
    disposal = draft_disposal(app, team.archivist, [item])
    with app.app_context():
        request = db.session.get(ApprovalRequest,
                                 latest_request_id(app, disposal.id, "DisposalList"))
        assert [a.user_id for a in request.assignments] == [cs_mgr.id]


def test_the_card_shows_signers_the_items(app, team, client):
    """The manager's approval page lists each item's 档号 and title, and links to the list."""
    item = expired_item(app, team.archivist, title="HT-9 华信科技年度框架合同")
    disposal = draft_disposal(app, team.archivist, [item])
    client.login("sales_mgr")
    page = client.get(f"/approvals/{_request(app, disposal).id}").get_data(as_text=True)
    assert item.archive_number in page and "华信科技年度框架合同" in page
    assert f"/archive/disposals/{disposal.id}" in page


def _expand(client, request_id: int) -> str:
    """The inbox row's card opened (htmx): the receipt a batch signature needs."""
    html = client.htmx("GET", f"/approvals/{request_id}/card").get_data(as_text=True)
    return re.search(r'name="shown" value="([^"]+)"', html).group(1)


def _keep(client, disposal, item, reason="该合同涉及在诉案件，需继续保存"):
    with client.application.app_context():
        entry_id = db.session.scalar(select(DisposalEntry.id).where(
            DisposalEntry.disposal_id == disposal.id, DisposalEntry.item_id == item.id))
    return client.post_form(f"/archive/disposals/{disposal.id}/keep",
                            {"entry_id": str(entry_id), "reason": reason})


def test_a_kept_item_survives_execution(app, team, client, archive_root):
    """The manager keeps one item while reviewing; the GM approves the list; at execution the
    kept item is recorded 保留 with its reason, still in store with its copy, while the other
    is destroyed."""
    kept, gone = (expired_item(app, team.archivist) for _ in range(2))
    disposal = draft_disposal(app, team.archivist, [kept, gone])
    client.login("sales_mgr")
    assert _keep(client, disposal, kept).status_code == 303
    assert fetch(app, ArchiveItem, kept.id).state == ArchiveState.IN_STORE
    approve_disposal(app, team, disposal)
    end_waiting(app, disposal)
    execute(app, team.archivist, disposal)
    with app.app_context():
        entries = {e.item_id: e for e in db.session.scalars(select(DisposalEntry))}
    assert entries[kept.id].outcome == EntryOutcome.KEPT
    assert entries[kept.id].outcome_reason == "该合同涉及在诉案件，需继续保存"
    assert entries[gone.id].outcome == EntryOutcome.DESTROYED
    assert fetch(app, ArchiveItem, kept.id).state == ArchiveState.IN_STORE
    assert (archive_root / kept.storage_path).exists()
    assert not (archive_root / gone.storage_path).exists()


def test_a_keep_decision_survives_the_gms_batch_approval(app, team, client, archive_root):
    """openregister #3867: the GM approves two lists at once from the inbox; the item the
    manager kept on one of them is still kept at execution."""
    kept, other = expired_item(app, team.archivist), expired_item(app, team.archivist)
    first = draft_disposal(app, team.archivist, [kept])
    second = draft_disposal(app, team.archivist, [other])
    client.login("sales_mgr")
    _keep(client, first, kept)
    for disposal in (first, second):
        sign(client, _request(app, disposal).id)
    client.login("gm")
    ids = [_request(app, d).id for d in (first, second)]
    shown = [_expand(client, request_id) for request_id in ids]
    client.post_form("/approvals/batch/approve", {
        "request_id": [str(i) for i in ids], "shown": shown, "password": PASSWORD,
        "comment": "同意"})
    assert {fetch(app, DisposalList, d.id).status for d in (first, second)} == {
        DisposalStatus.WAITING}
    for disposal in (first, second):
        end_waiting(app, disposal)
        execute(app, team.archivist, disposal)
    assert (archive_root / kept.storage_path).exists()
    assert not (archive_root / other.storage_path).exists()


def test_a_rejected_list_gives_its_items_back(app, team):
    """The manager rejects: the list is 已退回, its items 在库 again and due once more."""
    item = expired_item(app, team.archivist)
    disposal = draft_disposal(app, team.archivist, [item])
    sign_as(app, _request(app, disposal).id, team.manager, Decision.REJECT, "鉴定依据不足")
    assert fetch(app, DisposalList, disposal.id).status == DisposalStatus.RETURNED
    assert fetch(app, ArchiveItem, item.id).state == ArchiveState.IN_STORE
    assert _request(app, disposal).status == RequestStatus.REJECTED
    assert draft_disposal(app, team.archivist, [item]).status == DisposalStatus.REVIEW


def test_the_archivist_signs_no_step(app, team, client):
    """The archivist drafts and executes but approves none: no step of the flow waits for
    them, and their attempt to sign is refused."""
    item = expired_item(app, team.archivist, confidentiality=Level.INTERNAL)
    disposal = draft_disposal(app, team.archivist, [item])
    client.login("archivist")
    response = sign(client, _request(app, disposal).id)
    assert response.status_code == 403
    assert re.search("审批中", client.get(f"/archive/disposals/{disposal.id}").get_data(
        as_text=True))
