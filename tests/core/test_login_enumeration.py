"""No answer tells whether an account or a record exists: sign-in says one thing after the same
work for an unknown name and a wrong password; the lock is told only to whoever knows the
password; signing has its own message and lock; the customer hints name only what the user may
see (a name's basic card, a phone's customers in full)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Level, User
from app.models.base import utcnow
from app.services.core import accounts, password_locks
from tests.factories.approvals import draft, sign, submit
from tests.factories.customers import make_customer
from tests.factories.people import make_team, make_user
from tests.support import PASSWORD

_ERROR = re.compile(r'<div class="alert alert-danger" role="alert" id="login-error">([^<]*)</div>')


@pytest.fixture
def staff(app):
    return make_user(app, "sales1")


def _answer(client, username: str, password: str) -> tuple[int, str]:
    response = client.login(username, password)
    match = _ERROR.search(response.get_data(as_text=True))
    return response.status_code, match.group(1) if match else ""


def test_an_unknown_name_and_a_wrong_password_get_the_same_answer(client, staff):
    unknown = _answer(client, "nobody", "wrong-password-1")
    wrong = _answer(client, "sales1", "wrong-password-1")
    assert unknown == wrong == (422, "用户名或密码错误。")


def test_an_unknown_name_costs_one_password_hash_like_a_known_one(client, app, staff,
                                                                  monkeypatch):
    """The same work: one hash of the same kind (method and cost) is checked either way."""
    checked: list[str] = []

    def counting(stored: str, password: str) -> bool:
        checked.append(stored.rsplit("$", 2)[0])
        return False

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    monkeypatch.setattr(password_locks, "check_password_hash", counting)
    client.login("nobody", "wrong-password-1")
    client.login("sales1", "wrong-password-1")
    with app.app_context():
        kind = db.session.get(User, staff.id).password_hash.rsplit("$", 2)[0]
    assert checked == [kind, kind]


def test_no_answer_tells_how_many_tries_are_left(client, staff):
    answers = [_answer(client, "sales1", "wrong-password-1")[1] for _ in range(4)]
    assert set(answers) == {"用户名或密码错误。"}


def test_the_lock_is_told_only_to_whoever_types_the_right_password(client, app, staff):
    for _ in range(5):
        client.login("sales1", "wrong-password-1")
    assert _answer(client, "sales1", "wrong-password-2") == (422, "用户名或密码错误。")
    status, message = _answer(client, "sales1", PASSWORD)
    assert status == 422 and "账户已临时锁定" in message


def test_a_deactivated_account_is_told_only_to_whoever_types_the_right_password(client, app):
    make_user(app, "sales1", active=False)
    assert _answer(client, "sales1", "wrong-password-1") == (422, "用户名或密码错误。")
    assert "该账户已停用" in _answer(client, "sales1", PASSWORD)[1]


@pytest.fixture
def review(app, client):
    """A draft submitted by sales1, waiting for sales_mgr's signature; sales_mgr signed in."""
    team = make_team(app, {"staff": "sales1", "manager": "sales_mgr"})
    customer = draft(app, team.staff)
    client.login("sales1")
    request_id = submit(client, customer)
    client.login("sales_mgr")
    return team.manager, request_id


def _locks(app, user) -> tuple:
    with app.app_context():
        row = db.session.get(User, user.id)
        return row.failed_logins, row.locked_until, row.failed_signs, row.sign_locked_until


def test_a_wrong_signing_password_says_so_and_never_counts_toward_the_sign_in_lock(
        client, app, review):
    manager, request_id = review
    response = sign(client, request_id, password="wrong-password-1", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "签字密码不正确" in html and "用户名或密码错误" not in html
    assert _locks(app, manager) == (0, None, 1, None)


def test_a_locked_signer_is_told_clearly_and_can_still_sign_in(client, app, review):
    manager, request_id = review
    for _ in range(5):
        sign(client, request_id, password="wrong-password-1")
    html = sign(client, request_id, follow_redirects=True).get_data(as_text=True)
    assert "签字已暂停" in html, "refused even with the right password while locked"
    failed_logins, locked_until, _, sign_locked_until = _locks(app, manager)
    assert (failed_logins, locked_until) == (0, None) and sign_locked_until is not None
    assert client.login("sales_mgr").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "signing_locked"))


def test_the_signing_lock_ends_by_itself_like_the_sign_in_lock(client, app, review):
    manager, request_id = review
    for _ in range(5):
        sign(client, request_id, password="wrong-password-1")
    with app.app_context():
        db.session.get(User, manager.id).sign_locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert sign(client, request_id).status_code == 303


@pytest.fixture
def ledger(app):
    """sales1's own customer, sales2's (a basic card for sales1) and a secret one (above
    sales1's clearance: it does not exist for them)."""
    people = {name: make_user(app, name, clearance=level) for name, level in
              (("sales1", Level.INTERNAL), ("sales2", Level.INTERNAL),
               ("sales_top", Level.SECRET))}
    return {
        "own": make_customer(app, people["sales1"], phone="13700000001"),
        "card": make_customer(app, people["sales2"], phone="13700000002"),
        "secret": make_customer(app, people["sales_top"], phone="13700000003",
                                confidentiality=Level.SECRET),
    }


def _hint(client, field: str, value: str) -> str:
    return client.htmx("GET", f"/customers/validate/{field}?{field}={value}").get_data(
        as_text=True)


def test_the_name_hint_shows_a_basic_card_and_nothing_above_the_users_clearance(
        client, ledger):
    client.login("sales1")
    card = _hint(client, "name", ledger["card"].name)
    assert ledger["card"].number in card and "sales2" in card
    assert "137****0002" not in card and "13700000002" not in card
    assert _hint(client, "name", ledger["secret"].name).strip() == ""


def test_the_phone_hint_names_only_customers_the_user_sees_in_full(client, ledger):
    client.login("sales1")
    assert ledger["own"].number in _hint(client, "phone", "13700000001")
    assert _hint(client, "phone", "13700000002").strip() == "", "a card is not named by phone"
    assert _hint(client, "phone", "13700000003").strip() == "", "nor a secret customer"


def test_saving_with_the_phone_of_a_customer_the_user_cannot_see_warns_of_nothing(
        client, app, ledger):
    client.login("sales1")
    with app.app_context():
        owner = db.session.scalar(select(User.id).where(User.username == "sales1"))
    values = {"name": "杭州新客户有限公司", "kind": "unit", "contact_name": "周经理",
              "phone": "13700000003", "industry": "TECH", "type": "intent", "grade": "A",
              "confidentiality": "2", "owner": str(owner)}
    response = client.post_form("/customers/new", values, token_from="/customers/new")
    assert response.status_code == 303, "registered without naming the secret customer"
