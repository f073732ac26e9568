"""One-time form tokens (blueprints/_once.py, services/core/once.py): every create and
money-moving form carries a token; a repeat of a spent token answers with the first result and
never saves a second record, also when two identical posts race (the database decides); a post
that saves nothing leaves the token usable; a token of another user, a forged or an expired one
is refused; and no create route escapes the guard."""

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Customer, DeptCode, FormSubmission, Payment, PhoneExport, Role
from app.services.core import once
from tests.factories.customers import make_customer
from tests.factories.people import make_user
from tests.factories.sales import make_contract, term_ids
from tests.support import form_token, today

CUSTOMER = {
    "name": "杭州星河数据科技有限公司", "kind": "unit", "contact_name": "周经理",
    "phone": "13812345678", "email": "", "address": "杭州市西湖区文三路1号",
    "industry": "TECH", "type": "intent", "grade": "A", "source": "expo",
    "first_contact_date": "2026-03-01", "confidentiality": "2", "id_number": "", "remarks": "",
}
# What a route's name or path says it does: such a POST creates a record or moves money.
CREATING = re.compile(r"_(new|create|submit|approve|reject|start|apply|reverse)$")


@pytest.fixture
def seller(app):
    return make_user(app, "seller")


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _post(client, url: str, data: dict, token: str):
    return client.post_form(url, {**data, "once_token": token})


# The POST routes without @once, each with why a repeat is harmless: none creates a record or
# moves money. Any other POST route carries the guard.
UNGUARDED = {
    "auth.login": "signs in", "auth.logout": "signs out",
    "auth.password_change": "sets one's own password; the old one is asked for",
    "auth.locale_change": "a preference", "auth.session_end": "ends a session",
    "auth.session_end_all": "ends sessions",
    "approvals.notifications_read": "marks as read",
    "approvals.request_withdraw": "a withdrawn request cannot be withdrawn again",
    "audit.chain_verify": "reads the audit chain",
    "admin.flow_edit": "edits a flow (a repeat saves the same steps)",
    "admin.user_edit": "edits an account; raised rights replace the pending grant",
    "admin.user_reset_password": "a grant replaces the one pending, never a second",
    "admin.user_set_active": "sets a state; a grant replaces the one pending",
    "admin.user_unlock": "lifts a lock",
    "customers.customer_reveal": "shows a value (audited), saves nothing",
    "customers.contact_reveal": "shows a value (audited), saves nothing",
    "customers.contact_edit": "edits a contact", "customers.contact_delete": "deletes it once",
    "customers.contact_primary": "sets a flag",
    "sales.contract_edit": "edits a draft; a stale repeat is refused by its stamp",
    "sales.ledger_edit": "edits descriptive fields; a stale repeat is refused by its stamp",
    "sales.referral_edit": "edits; a stale repeat is refused by its stamp",
    "sales.visit_plan_edit": "edits; a stale repeat is refused by its stamp",
    "sales.visit_report_edit": "edits; a stale repeat is refused by its stamp",
    "sales.visit_plan_cancel": "a cancelled plan cannot be cancelled again",
    "sales.import_upload": "a dry run: its batch writes no ledger row until started (@once)",
    "service.import_upload": "a dry run: its batch writes no ledger row until started (@once)",
    "service.record_assign": "names the 负责人; a repeat names the same person",
    "service.record_status": "a step of the course; a repeat is refused (no step to itself)",
    "service.record_arrival": "the arrival on site once; a repeat is refused once arrived",
    "service.record_edit": "edits; a stale repeat is refused by its version",
    "service.fault_complete": "completes a report once; a repeat is refused",
    "service.follow_up_cadence": "edits the cadence table; a repeat saves the same intervals",
    "service.roster_edit": "edits a duty; a stale repeat is refused by its stamp",
    "service.roster_delete": "deletes it once",
    "service.sla_policy_edit": "edits a policy; a stale repeat is refused by its stamp",
    "service.sla_contract_detach": "unlinks; a repeat finds nothing to unlink",
    "service.sla_recompute": "resumes the unfinished run rather than starting a second one",
    "service.visit_assign": "names the assignee; a repeat names the same person",
    "archive.check_resume": "resumes the same run; a run alive or finished is left alone",
    "archive.check_sign": "a signed report is refused a second signature",
    "archive.disposal_abort": "an aborted list cannot be aborted again",
    "archive.disposal_execute": "countersigns once, then resumes the same execution",
    "archive.disposal_keep": "keeps an item; a repeat is refused (already kept)",
    "archive.handover_run_resume": "resumes the same run; a finished run is left alone",
    "archive.hold_release": "a released hold cannot be released again",
    "archive.loan_hand_out": "hands out once; a repeat finds the loan out",
    "archive.loan_renew": "one renewal; a repeat is refused",
    "archive.loan_return": "returns once; a repeat finds the loan returned",
    "archive.retention_edit": "edits a rule; a stale repeat is refused by its stamp",
    "archive.retention_recompute": "resumes the unfinished run rather than starting a second one",
}


def _guarded(app, endpoint: str) -> bool:
    return getattr(app.view_functions[endpoint], "once_guarded", False)


def test_every_create_and_money_route_is_guarded(app):
    """A POST route whose name or path says it creates, submits, signs, starts, reverses or
    hands over carries @once: a new one without it fails here."""
    creating = {rule.endpoint for rule in app.url_map.iter_rules()
                if "POST" in rule.methods and (CREATING.search(rule.endpoint)
                                               or rule.rule.endswith("/new"))}
    assert {"customers.customer_new", "sales.contract_new", "sales.payment_create",
            "approvals.request_approve"} <= creating
    unguarded = sorted(endpoint for endpoint in creating if not _guarded(app, endpoint))
    assert unguarded == []


def test_every_other_post_route_is_guarded_or_said_harmless(app):
    """Whatever its name, a POST route carries @once or is in UNGUARDED with the reason a repeat
    is harmless (the full-phone export, named like an export, files a request: guarded); an
    entry for a route that is gone or now guarded fails too."""
    posts = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert "customers.phone_export" in posts and _guarded(app, "customers.phone_export")
    assert {endpoint for endpoint in posts if not _guarded(app, endpoint)} == set(UNGUARDED)


def test_a_repeated_token_answers_with_the_first_result(app, client, seller):
    """The second post of the same form goes where the first went, says it was not saved
    again, and no second customer exists."""
    client.login("seller")
    token = form_token(client)
    first = _post(client, "/customers/new", CUSTOMER, token)
    again = _post(client, "/customers/new", CUSTOMER, token)
    assert first.status_code == again.status_code == 303
    assert re.fullmatch(r"/customers/\d+", first.headers["Location"])
    assert again.headers["Location"] == first.headers["Location"]
    assert "没有重复保存" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert _count(app, Customer) == 1


def test_a_repeat_over_htmx_navigates_to_the_first_result(app, client, seller):
    """An htmx post (boosted form, double click) that repeats a token is sent by HX-Redirect to
    the record the first one created."""
    client.login("seller")
    token = form_token(client)
    first = _post(client, "/customers/new", CUSTOMER, token)
    again = client.post("/customers/new", headers={"HX-Request": "true"}, data={
        **CUSTOMER, "once_token": token, "csrf_token": client.csrf_token("/")})
    assert again.status_code == 200
    assert again.headers["HX-Redirect"] == first.headers["Location"]
    assert _count(app, Customer) == 1


def test_a_failed_save_leaves_the_token_usable(app, client, seller):
    """A form refused for its content saves nothing and spends nothing: corrected, the same
    form saves; then, and only then, its token is spent."""
    client.login("seller")
    token = form_token(client)
    assert _post(client, "/customers/new", {**CUSTOMER, "name": " "}, token).status_code == 422
    assert _count(app, FormSubmission) == 0
    saved = _post(client, "/customers/new", CUSTOMER, token)
    assert saved.status_code == 303
    assert _post(client, "/customers/new", CUSTOMER, token).headers["Location"] == (
        saved.headers["Location"])
    assert _count(app, Customer) == _count(app, FormSubmission) == 1


def test_a_token_issued_to_another_user_is_refused(app, client, seller):
    """A token only works for the user it was shown to: another user's is refused, nothing
    is saved and the token stays the owner's."""
    make_user(app, "other")
    client.login("other")
    theirs = form_token(client)
    client.login("seller")
    response = _post(client, "/customers/new", CUSTOMER, theirs)
    assert response.status_code == 400
    assert "不是为您打开的" in response.get_data(as_text=True)
    assert _count(app, Customer) == _count(app, FormSubmission) == 0


def test_a_refused_post_does_not_spend_the_token(app, client, seller):
    """A post the policy refuses (another salesperson's contract) saves nothing and spends
    nothing, even where the refusal itself is recorded."""
    make_user(app, "other")
    contract = make_contract(app, make_customer(app, seller))
    client.login("other")
    response = _post(client, f"/sales/contracts/{contract.id}/payments", {
        "term": term_ids(app, contract)[0], "paid_on": today(app).isoformat(),
        "amount": "1.00", "method": "bank_transfer"}, form_token(client))
    assert response.status_code in (403, 404)
    assert _count(app, Payment) == _count(app, FormSubmission) == 0


@pytest.mark.parametrize("token", ["forged", "W10.aaaa.bbbb", "x" * 400])
def test_a_forged_token_is_refused(app, client, seller, token):
    """A token not signed by the application is refused; nothing is saved."""
    client.login("seller")
    response = _post(client, "/customers/new", CUSTOMER, token)
    assert response.status_code == 400
    assert _count(app, Customer) == 0


def test_an_expired_token_is_refused(app, client, seller, monkeypatch):
    """A form left open longer than a day must be reloaded."""
    client.login("seller")
    token = form_token(client)
    monkeypatch.setattr(once, "MAX_AGE", timedelta(seconds=-1))
    response = _post(client, "/customers/new", CUSTOMER, token)
    assert response.status_code == 400
    assert "超过一天" in response.get_data(as_text=True)
    assert _count(app, Customer) == 0


def test_a_form_without_a_token_is_handled_as_before(app, client, seller):
    """The stable interface: a script posting the documented fields (no token) still saves;
    only forms the product shows carry one."""
    client.login("seller")
    response = client.post("/customers/new", data={
        **CUSTOMER, "csrf_token": client.csrf_token("/customers/new")})
    assert response.status_code == 303
    assert _count(app, Customer) == 1 and _count(app, FormSubmission) == 0


def _signed_in_clients(app, username: str, count: int) -> list:
    clients = [app.test_client() for _ in range(count)]
    for client in clients:
        client.login(username)
    return clients


def _race(clients, url: str, data: dict, token: str) -> list:
    """The same form, with the same token, posted by each client at the same moment from
    threads of their own (each a browser tab of the same user)."""
    posts = [{**data, "once_token": token, "csrf_token": c.csrf_token("/")} for c in clients]
    start = threading.Barrier(len(clients))
    responses: list = [None] * len(clients)

    def post(i: int) -> None:
        start.wait()
        responses[i] = clients[i].post(url, data=posts[i])

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return responses


def test_two_concurrent_identical_payments_record_one(app, seller):
    """A double click that reaches the server twice at once: one payment, the outstanding
    amount lowered once, and both answers lead to the contract's payments."""
    customer = make_customer(app, seller)
    contract = make_contract(app, customer, terms=(("advance", "500.00", 0),))
    clients = _signed_in_clients(app, "seller", 2)
    payment = {"term": term_ids(app, contract)[0], "paid_on": today(app).isoformat(),
               "amount": "200.00", "method": "bank_transfer", "reference": "", "note": ""}
    url = f"/sales/contracts/{contract.id}/payments"
    responses = _race(clients, url, payment, form_token(clients[0]))
    assert [r.status_code for r in responses] == [303, 303]
    assert {r.headers["Location"] for r in responses} == {url}
    assert _count(app, Payment) == 1
    page = clients[0].get(url).get_data(as_text=True)
    assert 'data-outstanding="300.00"' in page


def test_two_concurrent_identical_customers_make_one(app, seller):
    """Two identical posts of a new customer at once: one customer, both sent to it."""
    clients = _signed_in_clients(app, "seller", 2)
    responses = _race(clients, "/customers/new", CUSTOMER, form_token(clients[0]))
    assert [r.status_code for r in responses] == [303, 303]
    assert len({r.headers["Location"] for r in responses}) == 1
    assert _count(app, Customer) == _count(app, FormSubmission) == 1


def _phone_export_requests(app) -> tuple[int, int]:
    """(full-phone export requests filed, their audit events)."""
    with app.app_context():
        events = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "phone_export_requested"))
    return _count(app, PhoneExport), events


def test_a_repeated_full_phone_export_files_one_request(app, client, seller):
    """外呼名单: the reason form sent twice with its token files one request (one audit event),
    and both answers lead to that request's page, where the file is taken."""
    make_customer(app, seller, phone="13912345678")
    client.login("seller")
    page = client.get("/customers/phone-export").get_data(as_text=True)
    form = re.search(r'<form[^>]*id="phone-export-form".*?</form>', page, re.S).group(0)
    assert "hx-disabled-elt=" in form.split(">", 1)[0]
    token = re.search(r'name="once_token" value="([^"]+)"', form).group(1)
    first = _post(client, "/customers/phone-export", {"reason": "季度回访"}, token)
    again = _post(client, "/customers/phone-export", {"reason": "季度回访"}, token)
    assert first.status_code == again.status_code == 303
    assert re.fullmatch(r"/customers/phone-exports/\d+", first.headers["Location"])
    assert again.headers["Location"] == first.headers["Location"]
    assert _phone_export_requests(app) == (1, 1)


def test_two_concurrent_identical_full_phone_exports_file_one(app, seller):
    """A double click that reaches the server twice at once: one request, both answers sent
    to it."""
    make_customer(app, seller, phone="13912345678")
    clients = _signed_in_clients(app, "seller", 2)
    responses = _race(clients, "/customers/phone-export", {"reason": "季度回访"},
                      form_token(clients[0]))
    assert [r.status_code for r in responses] == [303, 303]
    assert len({r.headers["Location"] for r in responses}) == 1
    assert _phone_export_requests(app) == (1, 1)


@pytest.mark.parametrize(("url", "role", "dept"), [
    ("/customers/new", Role.STAFF, DeptCode.SALES),
    ("/sales/contracts/new", Role.STAFF, DeptCode.SALES),
    ("/sales/visits/plans/new", Role.STAFF, DeptCode.SALES),
    ("/sales/visits/reports/new", Role.STAFF, DeptCode.SALES),
    ("/sales/ledger/new", Role.STAFF, DeptCode.SALES),
    ("/sales/referrals/new", Role.STAFF, DeptCode.SALES),
    ("/admin/users/new", Role.ADMIN, DeptCode.IT),
])
def test_create_forms_carry_a_token_and_disable_their_buttons(app, client, url, role, dept):
    """The form page gives its create form a fresh token of the user's, and the form's
    buttons are disabled while its request runs (hx-disabled-elt)."""
    user = make_user(app, "author", role=role, dept=dept)
    client.login("author")
    forms = re.findall(r'<form[^>]*method="post".*?</form>', client.get(url).get_data(
        as_text=True), re.S)
    [form] = [form for form in forms if 'name="once_token"' in form]
    assert "hx-disabled-elt=" in form.split(">", 1)[0]
    token = re.search(r'name="once_token" value="([^"]+)"', form).group(1)
    with app.app_context():
        assert once.nonce_of(token, user.id)
    assert token not in client.get(url).get_data(as_text=True)  # fresh each time it is shown
