"""老客户转介绍登记: a referral belongs where its referring customer belongs (owner, department,
confidentiality); the referred customer is linked when registered, named otherwise; the list
and its Excel export follow the data scope."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Level, Referral, ReferralOutcome, Role
from tests.factories.customers import make_customer
from tests.factories.people import make_people, make_user


@pytest.fixture
def team(app):
    return make_people(app, "sales1", "sales2", "sales_mgr", "cs1", "gm", sales1=Level.SECRET)


def _form(referrer, referred="新介绍客户有限公司", **extra):
    return {"referrer": referrer, "referred": referred, "referred_on": "2026-01-20",
            "outcome": "following", "reward_note": "赠送保养一次", **extra}


def _create(client, who, referrer, **kwargs):
    client.login(who)
    return client.post_form("/sales/referrals/new", _form(referrer, **kwargs))


def _only(app) -> Referral:
    with app.app_context():
        referral = db.session.scalar(select(Referral))
        db.session.expunge(referral)
        return referral


def test_a_referral_copies_the_scope_of_its_referring_customer(client, app, team):
    old = make_customer(app, team["sales1"], confidentiality=Level.SECRET)
    assert _create(client, "sales1", old.number).status_code == 303
    referral = _only(app)
    assert (referral.owner_id, referral.department_id, referral.confidentiality) == (
        old.owner_id, old.department_id, Level.SECRET)
    assert (referral.referred_id, referral.referred_name) == (None, "新介绍客户有限公司")


def test_a_registered_referred_customer_is_linked(client, app, team):
    old = make_customer(app, team["sales1"])
    new = make_customer(app, team["sales2"], name="已登记新客户有限公司")
    assert _create(client, "sales1", old.name, referred=new.number).status_code == 303
    assert (_only(app).referred_id, _only(app).referred_name) == (new.id, new.name)


def test_the_referrer_must_be_one_of_the_users_customers(client, app, team):
    theirs = make_customer(app, team["sales2"])
    response = _create(client, "sales1", theirs.number)
    assert response.status_code == 422
    assert "在您负责的客户中找不到该客户" in response.get_data(as_text=True)


def test_a_customer_cannot_refer_itself(client, app, team):
    old = make_customer(app, team["sales1"])
    response = _create(client, "sales1", old.number, referred=old.name)
    assert response.status_code == 422
    assert "不能是老客户本身" in response.get_data(as_text=True)


def test_a_referral_date_in_the_future_is_refused(client, app, team):
    old = make_customer(app, team["sales1"])
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert _create(client, "sales1", old.number, referred_on=tomorrow).status_code == 422


def test_the_list_follows_the_data_scope(client, app, team):
    """Staff see their customers' referrals, the manager the department's, the GM all; other
    departments have no list."""
    mine = make_customer(app, team["sales1"])
    theirs = make_customer(app, team["sales2"])
    _create(client, "sales1", mine.number, referred="甲公司")
    _create(client, "sales2", theirs.number, referred="乙公司")
    seen = {}
    for who in ("sales1", "sales2", "sales_mgr", "gm", "cs1"):
        client.login(who)
        response = client.get("/sales/referrals/")
        html = response.get_data(as_text=True)
        seen[who] = response.status_code, "".join(n for n in ("甲", "乙") if f"{n}公司" in html)
    assert seen == {"sales1": (200, "甲"), "sales2": (200, "乙"), "sales_mgr": (200, "甲乙"),
                    "gm": (200, "甲乙"), "cs1": (403, "")}


def test_the_list_pages_by_keyset_and_filters(client, app, team):
    old = make_customer(app, team["sales1"])
    client.login("sales1")
    for day in range(1, 24):
        client.post_form("/sales/referrals/new", _form(
            old.number, referred=f"第{day:02d}号公司", referred_on=f"2026-01-{day:02d}",
            outcome="won" if day % 2 else "lost"))
    first = client.get("/sales/referrals/").get_data(as_text=True)
    assert "第23号公司" in first and "第04号公司" in first and "第03号公司" not in first
    after = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    second = client.get(after).get_data(as_text=True)
    assert "第03号公司" in second and "第23号公司" not in second
    won = client.get("/sales/referrals/?outcome=won").get_data(as_text=True)
    assert "共 12 条" in won and "第02号公司" not in won
    ranged = client.get("/sales/referrals/?start=2026-01-05&end=2026-01-06").get_data(as_text=True)
    assert "共 2 条" in ranged


def test_the_export_follows_the_scope_neutralises_formulas_and_is_audited(client, app, team):
    mine = make_customer(app, team["sales1"])
    theirs = make_customer(app, team["sales2"])
    _create(client, "sales1", mine.number, referred="=HYPERLINK(\"http://x\")")
    _create(client, "sales2", theirs.number, referred="乙公司")
    client.login("sales1")
    response = client.get("/sales/referrals/export.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][3] == "'=HYPERLINK(\"http://x\")" and rows[1][1] == mine.number
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "export", AuditEvent.object_type == "Referral")) == 1


def test_an_edit_saves_and_a_stale_edit_is_refused(client, app, team):
    """Optimistic locking: the form carries the time it was read; a later save wins nothing."""
    old = make_customer(app, team["sales1"])
    _create(client, "sales1", old.number)
    referral = _only(app)
    seen = referral.updated_at.isoformat()
    data = _form(old.number, outcome="won", seen=seen)
    assert client.post_form(f"/sales/referrals/{referral.id}/edit", data).status_code == 303
    assert _only(app).outcome == ReferralOutcome.WON
    stale = _form(old.number, outcome="lost", seen=seen)
    response = client.post_form(f"/sales/referrals/{referral.id}/edit", stale)
    assert response.status_code == 422 and 'id="edit-conflict"' in response.get_data(as_text=True)
    assert _only(app).outcome == ReferralOutcome.WON


def test_the_gm_reads_but_does_not_edit(client, app, team):
    old = make_customer(app, team["sales1"])
    _create(client, "sales1", old.number)
    client.login("gm")
    assert client.get(f"/sales/referrals/{_only(app).id}/edit").status_code == 403
    assert client.get("/sales/referrals/new").status_code == 403


def test_the_list_links_what_policy_lets_the_viewer_open(client, app, team):
    """Rule: a row offers 编辑 to whoever may edit the referral (not the GM, who reads), and
    links the referred customer's card only for a viewer cleared for that customer (a manager
    cleared for 内部 only gets its name without a link)."""
    make_user(app, "mgr_internal", Role.MANAGER, clearance=Level.INTERNAL)
    old = make_customer(app, team["sales1"])
    secret = make_customer(app, team["sales1"], name="秘密新客户有限公司",
                           confidentiality=Level.SECRET)
    _create(client, "sales1", old.number, referred=secret.number)
    referral = _only(app)
    edit, card = f"/sales/referrals/{referral.id}/edit", f'href="/customers/{secret.id}"'
    shown = {}
    for who in ("sales1", "mgr_internal", "gm"):
        client.login(who)
        html = client.get("/sales/referrals/").get_data(as_text=True)
        shown[who] = (edit in html, card in html, "秘密新客户有限公司" in html)
    assert shown == {"sales1": (True, True, True), "mgr_internal": (True, False, True),
                     "gm": (False, True, True)}


def test_a_search_finds_either_customer(client, app, team):
    """The list's search (its statement built on each request, not kept) matches the referred
    name or the referring customer, and the unsearched list still shows every row after it."""
    first = make_customer(app, team["sales1"], name="老甲客户有限公司")
    second = make_customer(app, team["sales1"], name="老乙客户有限公司")
    _create(client, "sales1", first.number, referred="新丙公司")
    _create(client, "sales1", second.number, referred="新丁公司")
    found = {q: client.get(f"/sales/referrals/?q={q}").get_data(as_text=True)
             for q in ("新丙", "老乙", "")}
    assert "新丙公司" in found["新丙"] and "新丁公司" not in found["新丙"]
    assert "新丁公司" in found["老乙"] and "新丙公司" not in found["老乙"]
    assert "新丙公司" in found[""] and "新丁公司" in found[""]
