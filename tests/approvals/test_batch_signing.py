"""Batch signing in 我的待办: ticked items of one kind whose content was shown are approved with
one entry of the password, one signature per item with its own content hash. Per item: an item
not shown, changed since, or not waiting for the signer is refused by name while the others are
signed. For the whole batch: items of different kinds, or a wrong password, sign nothing."""

import re

from sqlalchemy import select, update

from app.extensions import db
from app.models import ApprovalRequest, Customer, RequestStatus, Signature, User
from tests.factories.approvals import draft, submit
from tests.factories.sales import make_contract
from tests.factories.sales import submit as submit_contract
from tests.support import PASSWORD


def _waiting(client, app, team, n: int) -> list[int]:
    """n customers submitted by the salesperson; the manager signed in."""
    client.login("sales1")
    ids = [submit(client, draft(app, team.staff, name=f"批量{i}号有限公司")) for i in range(n)]
    client.login("sales_mgr")
    return ids


def _expand(client, request_id: int) -> str:
    html = client.htmx("GET", f"/approvals/{request_id}/card").get_data(as_text=True)
    return re.search(r'name="shown" value="([^"]+)"', html).group(1)


def _batch(client, ids: list[int], receipts: list[str], password: str = PASSWORD):
    data = {"password": password, "comment": "批量同意", "request_id": [str(i) for i in ids],
            "shown": receipts}
    return client.post_form("/approvals/batch/approve", data)


def _signatures(app, request_id: int) -> list[Signature]:
    with app.app_context():
        return db.session.scalars(select(Signature).where(Signature.request_id == request_id)
                                  ).all()


def _status(app, request_id: int) -> RequestStatus:
    with app.app_context():
        return db.session.get(ApprovalRequest, request_id).status


def test_one_password_makes_one_signature_per_item_with_its_own_hash(client, app, team):
    """Rule: each ticked item gets its own signature, bound to its own content hash."""
    ids = _waiting(client, app, team, 3)
    response = _batch(client, ids, [_expand(client, i) for i in ids])
    assert response.status_code == 303
    hashes = set()
    with app.app_context():
        for request_id in ids:
            request = db.session.get(ApprovalRequest, request_id)
            assert request.status == RequestStatus.APPROVED
            (signature,) = request.signatures
            assert signature.content_hash == request.content_hash
            assert signature.comment == "批量同意"
            hashes.add(signature.content_hash)
    assert len(hashes) == 3
    assert "已批量同意 3 项" in client.get("/approvals/").get_data(as_text=True)


def test_an_item_not_shown_is_refused_by_name_and_the_others_signed(client, app, team):
    """Rule: an item whose content this session was not shown is refused with the reason; the
    shown ones are signed."""
    first, second, unseen = _waiting(client, app, team, 3)
    response = _batch(client, [first, second, unseen], [_expand(client, first),
                                                          _expand(client, second)])
    assert response.status_code == 303
    assert _status(app, first) == _status(app, second) == RequestStatus.APPROVED
    assert _status(app, unseen) == RequestStatus.PENDING and _signatures(app, unseen) == []
    inbox = client.get("/approvals/").get_data(as_text=True)
    assert "已批量同意 2 项" in inbox
    assert f"#{unseen}" in inbox and "请先查看审批内容" in inbox


def test_items_of_different_kinds_sign_nothing(client, app, team):
    """Rule: one batch is one kind of item; a mixed selection is refused as a whole."""
    (customer_request,) = _waiting(client, app, team, 1)
    contract_request = submit_contract(app, make_contract(app, by=team.staff), team.staff)
    ids = [customer_request, contract_request]
    _batch(client, ids, [_expand(client, i) for i in ids])
    assert [_status(app, i) for i in ids] == [RequestStatus.PENDING] * 2
    inbox = client.get("/approvals/").get_data(as_text=True)
    assert "批量签字只能选择同一类事项" in inbox and "合同评审" in inbox


def test_a_wrong_password_signs_nothing_and_counts_once(client, app, team):
    """Rule: the signing lock counts one failure for the batch, and nothing is signed."""
    ids = _waiting(client, app, team, 3)
    _batch(client, ids, [_expand(client, i) for i in ids], password="wrong-pass-1")
    assert [_status(app, i) for i in ids] == [RequestStatus.PENDING] * 3
    with app.app_context():
        assert db.session.get(User, team.manager.id).failed_signs == 1
    assert "签字密码不正确" in client.get("/approvals/").get_data(as_text=True)


def test_an_item_changed_since_shown_is_refused_and_leaves_nothing(client, app, team):
    """Rule: an item whose record no longer matches what was shown is refused (签字失效) and
    leaves no signature, while the others are signed."""
    ids = _waiting(client, app, team, 3)
    receipts = [_expand(client, i) for i in ids]
    with app.app_context():
        changed = db.session.get(ApprovalRequest, ids[1]).record_id
        db.session.execute(update(Customer).where(Customer.id == changed)
                           .values(name="事后改名有限公司"))
        db.session.commit()
    _batch(client, ids, receipts)
    assert [_status(app, i) for i in ids] == [RequestStatus.APPROVED, RequestStatus.PENDING,
                                               RequestStatus.APPROVED]
    assert _signatures(app, ids[1]) == []
    assert "签字失效" in client.get("/approvals/").get_data(as_text=True)


def test_an_item_not_waiting_for_the_signer_is_refused(client, app, team):
    """Rule: only items waiting for this signer are signed; another's item is refused."""
    (mine,) = _waiting(client, app, team, 1)
    client.login("cs_mgr")  # another department's manager: not their item
    response = _batch(client, [mine], [])
    assert response.status_code == 303
    assert _status(app, mine) == RequestStatus.PENDING
    assert "不在您的待办中" in client.get("/approvals/").get_data(as_text=True)


def test_expanding_a_row_offers_the_tick_and_the_form_only_then(client, app, team):
    """Rule: a row is ticked for a batch only once its content is shown."""
    (request_id,) = _waiting(client, app, team, 1)
    inbox = client.get("/approvals/").get_data(as_text=True)
    assert 'form="batch-form"' not in inbox.split('id="waiting-table"')[1]
    expanded = client.htmx("GET", f"/approvals/{request_id}/card").get_data(as_text=True)
    assert f'name="request_id" value="{request_id}" form="batch-form"' in expanded
