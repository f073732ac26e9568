"""客户信息归属: one owner per customer; another salesperson asks, the sales manager decides
(flow customer.transfer); the approved transfer moves the customer with every sales record of
it (staff see their own customers' sales records, history included), keeps the request's
history, makes a new signed version and tells both sides."""

import json
import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    ApprovalRequest,
    AuditEvent,
    Contract,
    ContractStatus,
    Customer,
    Level,
    OwnershipRequest,
    RecordVersion,
    RequestStatus,
    User,
    VisitPlan,
    VisitStatus,
)
from app.services.approvals.engine import ApprovalError
from app.services.customers.review import customer_validity
from app.services.sales.ownership import transfers as ownership
from tests.factories.approvals import activate, approval_of, sign
from tests.factories.customers import make_customer
from tests.factories.people import deactivate, make_people
from tests.factories.sales import make_contract, make_visit
from tests.support import notices, owners_of

REASON = {"reason": "客户由本人在展会先行邀约，并已敲定到会。"}


@pytest.fixture
def team(app):
    return make_people(app, "sales1", "sales2", "sales3", "sales_mgr", "cs1", "gm")


def _request(client, customer, who: str, data=None):
    client.login(who)
    return client.post_form(f"/sales/ownership/new?customer={customer.id}", data or REASON)


def _claim_id(app, customer) -> int | None:
    with app.app_context():
        return db.session.scalar(select(OwnershipRequest.id).where(
            OwnershipRequest.customer_id == customer.id).order_by(OwnershipRequest.id.desc()))


def test_approved_transfer_moves_customer_and_open_records_and_tells_both(client, app, team):
    """Request → the manager approves → the owner changes and every contract and visit of the
    customer follows — closed contracts and done visits too, since staff see their own
    customers' sales records (issue req. 12) —, both sides are notified, history is kept."""
    customer = make_customer(app, team["sales1"])
    activate(app, customer, team["sales_mgr"])
    contracts = [make_contract(app, customer, status).id for status in ContractStatus]
    visits = [make_visit(app, customer, status) for status in VisitStatus]
    before = notices(app, team["sales1"])  # the archive review's own notice
    assert _request(client, customer, "sales2").status_code == 303
    claim_id = _claim_id(app, customer)
    assert notices(app, team["sales1"]) == [*before, "ownership_requested"]
    client.login("sales_mgr")
    assert sign(client, approval_of(app, claim_id)).status_code == 303
    new = team["sales2"].id
    assert owners_of(app, Contract, contracts) == [new] * len(ContractStatus)
    assert owners_of(app, VisitPlan, visits) == [new] * len(VisitStatus)
    assert notices(app, team["sales1"]) == [*before, "ownership_requested",
                                            "ownership_transferred"]
    assert notices(app, team["sales2"]) == ["approval_approved"]
    with app.app_context():
        record = db.session.get(Customer, customer.id)
        assert record.owner_id == new and record.department_id == team["sales2"].department_id
        assert db.session.get(OwnershipRequest, claim_id).status == RequestStatus.APPROVED
        validity = customer_validity(record)
        assert (validity.state, validity.version.number) == ("valid", 2)
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "customer_reassigned", AuditEvent.object_id == customer.id))
        changes = json.loads(event.changes)
        assert changes["owner"] == ["sales1", "sales2"]
        assert (changes["contracts"], changes["visits"]) == (4, 3)
    page = client.get(f"/sales/ownership/{claim_id}").get_data(as_text=True)
    assert "sales_mgr" in page and "已批准" in page  # the signature stays on the record


def test_the_approval_sheet_of_a_transfer_prints(client, app, team):
    """The 审批单 of a transfer request prints like any other flow's."""
    customer = make_customer(app, team["sales1"])
    _request(client, customer, "sales2")
    client.login("sales_mgr")
    response = client.get(f"/approvals/{approval_of(app, _claim_id(app, customer))}/sheet.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_rejection_keeps_the_owner_and_tells_both(client, app, team):
    """A rejected request changes nothing; the requester and the owner are told."""
    customer = make_customer(app, team["sales1"])
    contract = make_contract(app, customer, ContractStatus.DRAFT).id
    _request(client, customer, "sales2")
    claim_id = _claim_id(app, customer)
    client.login("sales_mgr")
    rejected = sign(client, approval_of(app, claim_id), "reject", "客户由李明持续跟进")
    assert rejected.status_code == 303
    assert owners_of(app, Customer, [customer.id]) == [team["sales1"].id]
    assert owners_of(app, Contract, [contract]) == [team["sales1"].id]
    assert notices(app, team["sales1"]) == ["ownership_requested", "ownership_kept"]
    assert notices(app, team["sales2"]) == ["approval_rejected"]
    with app.app_context():
        assert db.session.get(OwnershipRequest, claim_id).status == RequestStatus.REJECTED


def test_a_draft_customer_moves_without_a_signed_version(client, app, team):
    """A customer never approved has no signed version to renew: the transfer makes none."""
    customer = make_customer(app, team["sales1"])
    _request(client, customer, "sales2")
    client.login("sales_mgr")
    sign(client, approval_of(app, _claim_id(app, customer)))
    assert owners_of(app, Customer, [customer.id]) == [team["sales2"].id]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RecordVersion).where(
            RecordVersion.record_id == customer.id)) == 0


def test_the_owner_cannot_ask_for_their_own_customer(client, app, team):
    customer = make_customer(app, team["sales1"])
    response = _request(client, customer, "sales1")
    assert response.status_code == 409
    assert "您已是该客户的负责人" in response.get_data(as_text=True)
    assert _claim_id(app, customer) is None


def test_a_second_pending_request_for_the_customer_is_refused(client, app, team):
    customer = make_customer(app, team["sales1"])
    assert _request(client, customer, "sales2").status_code == 303
    response = _request(client, customer, "sales3")
    assert response.status_code == 409
    assert "已有待审批的归属变更申请" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OwnershipRequest)) == 1


def test_two_people_asking_at_once_file_one_request(app, team):
    """Concurrent requests for one customer: the customer's lock lets exactly one through."""
    customer = make_customer(app, team["sales1"])
    start, outcomes = threading.Barrier(2), []

    def ask(username):
        with app.app_context():
            try:
                user = db.session.scalar(select(User).where(User.username == username))
                record = db.session.get(Customer, customer.id)
                start.wait(timeout=30)
                ownership.request_transfer(record, user, "客户指定本人跟进")
                db.session.commit()
                outcomes.append("filed")
            except ApprovalError as refusal:
                outcomes.append(refusal.status)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=ask, args=(u,)) for u in ("sales2", "sales3")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes, key=str) == [409, "filed"]


def test_only_a_salesperson_can_become_the_owner(client, app, team):
    """Customer service and the GM may see the card but cannot own the customer: they are not
    offered the form (403, like the post), and nothing is filed."""
    customer = make_customer(app, team["sales1"])
    for who in ("cs1", "gm"):
        response = _request(client, customer, who)
        assert response.status_code == 403
        assert client.get(f"/sales/ownership/new?customer={customer.id}").status_code == 403
    assert _claim_id(app, customer) is None


def test_a_customer_above_the_requesters_clearance_does_not_exist_for_them(client, app, team):
    customer = make_customer(app, team["sales_mgr"], confidentiality=Level.SECRET)
    assert _request(client, customer, "sales1").status_code == 404
    assert client.get(f"/sales/ownership/new?customer={customer.id}").status_code == 404


def test_a_reason_is_required(client, app, team):
    customer = make_customer(app, team["sales1"])
    response = _request(client, customer, "sales2", {"reason": ""})
    assert response.status_code == 422
    assert _claim_id(app, customer) is None


def test_the_button_shows_for_a_salesperson_who_is_not_the_owner(client, app, team):
    customer = make_customer(app, team["sales1"])
    shown = {}
    for who in ("sales1", "sales2", "cs1", "gm"):
        client.login(who)
        shown[who] = 'id="request-transfer"' in client.get(
            f"/customers/{customer.id}").get_data(as_text=True)
    assert shown == {"sales1": False, "sales2": True, "cs1": False, "gm": False}


def test_signing_is_refused_once_the_requester_has_left(client, app, team):
    """A requester who leaves can no longer own the customer: the approval cannot be signed
    (签字失效), nothing moves; the reassignment later withdraws the request."""
    customer = make_customer(app, team["sales1"])
    _request(client, customer, "sales2")
    deactivate(app, team["sales2"])
    client.login("sales_mgr")
    sign(client, approval_of(app, _claim_id(app, customer)))
    assert owners_of(app, Customer, [customer.id]) == [team["sales1"].id]
    with app.app_context():
        request = db.session.get(ApprovalRequest, approval_of(app, _claim_id(app, customer)))
        assert request.status == RequestStatus.PENDING and not request.signatures


def test_lists_show_mine_and_what_waits_for_me(client, app, team):
    """The requester and the owner see the request; the manager finds it waiting; the GM sees
    all; an unrelated salesperson sees nothing."""
    customer = make_customer(app, team["sales1"])
    _request(client, customer, "sales2")
    claim_id = _claim_id(app, customer)
    seen = {}
    for who, url in (("sales1", ""), ("sales2", ""), ("sales3", ""), ("sales_mgr", "?view=waiting"),
                     ("gm", ""), ("gm", "?view=waiting")):
        client.login(who)
        html = client.get(f"/sales/ownership/{url}").get_data(as_text=True)
        seen[who + url] = f'id="ownership-{claim_id}"' in html
    assert seen == {"sales1": True, "sales2": True, "sales3": False, "sales_mgr?view=waiting": True,
                    "gm": True, "gm?view=waiting": False}


def test_each_status_filter_lists_its_own_requests(client, app, team):
    """Rule: the list's statement is kept per viewer and filters (kept_rows_page): a status
    filter shows only that status, and the unfiltered list, asked again after it, all of
    them; an invalid status is ignored rather than refused."""
    customer = make_customer(app, team["sales1"])
    _request(client, customer, "sales2")
    row = f'id="ownership-{_claim_id(app, customer)}"'
    client.login("gm")
    shown = {query: row in client.get(f"/sales/ownership/{query}").get_data(as_text=True)
             for query in ("", "?status=pending", "?status=approved", "?status=bogus")}
    assert shown == {"": True, "?status=pending": True, "?status=approved": False,
                     "?status=bogus": True}
    assert row in client.get("/sales/ownership/").get_data(as_text=True)


def test_the_export_lists_the_same_requests_and_is_audited(client, app, team):
    from io import BytesIO

    from openpyxl import load_workbook

    customer = make_customer(app, team["sales1"], name="=导出测试客户")
    _request(client, customer, "sales2")
    response = client.get("/sales/ownership/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][2] == "'=导出测试客户" and rows[1][4] == "sales2"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "export", AuditEvent.object_type == "OwnershipRequest")) == 1
