"""Receivables: what a contract's terms still owe (amount − payments) and how late, in aging
buckets 未到期 / 1–30 / 31–90 / 90+ days past due, summed by the database per customer and
per salesperson within the user's scope; drill-down to the open terms; 表5-21 statistics."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Contract, ContractStatus, Level, User
from app.policy import scope
from app.services.sales.ledger import receivables
from app.services.sales.ownership import transfers
from tests.factories.customers import make_customer
from tests.factories.people import make_people, make_user
from tests.factories.sales import make_contract, make_payment
from tests.queries import counted
from tests.support import D, today


@pytest.fixture
def people(app):
    """Two salespeople (李明, 张丽), their manager (赵强) and the GM."""
    return make_people(app, "seller", "other", "boss", "gm", named=("seller", "other", "boss"))


def _aging(app, username, group="customer", size=50, **cursor):
    """The service's aging as `username` would get it, as plain tuples."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        scoped = scope(select(Contract), user, Contract)
        result = receivables.aging(scoped, group, size=size, **cursor)
        rows = [(r.label, r.not_due, r.d1_30, r.d31_90, r.d90_plus, r.total)
                for r in result.page.rows]
        return rows, result.totals, result


def test_aging_buckets_at_day_boundaries(app, people):
    """Due today is not yet due; 1 and 30 days late are 1–30; 31 and 90 are 31–90; 91 is 90+."""
    terms = tuple(("advance", amount, -days) for days, amount in (
        (0, "1.00"), (1, "2.00"), (30, "4.00"), (31, "8.00"), (90, "16.00"), (91, "32.00"),
        (-5, "64.00")))
    make_contract(app, make_customer(app, people["seller"], name="账龄客户"), terms=terms)
    rows, totals, _result = _aging(app, "seller")
    assert rows == [("账龄客户", D("65.00"), D("6.00"), D("24.00"), D("32.00"), D("127.00"))]
    assert totals["d90_plus"] == D("32.00") and totals["total"] == D("127.00")


def test_outstanding_is_amount_less_payments_in_exact_decimals(app, people):
    """0.30 owed, 0.10 + 0.10 paid: 0.10 left, exactly; a fully paid term owes nothing and a
    contract owing nothing is not listed."""
    customer = make_customer(app, people["seller"], name="精确客户")
    owing = make_contract(app, customer, terms=(("advance", "0.30", -40),
                                                ("acceptance", "0.70", -40)))
    make_payment(app, owing, "0.10")
    make_payment(app, owing, "0.10")
    make_payment(app, owing, "0.70", term_index=1)
    settled = make_contract(app, make_customer(app, people["seller"], name="结清客户"),
                            terms=(("advance", "5.00", -40),))
    make_payment(app, settled, "5.00")
    rows, totals, _result = _aging(app, "seller")
    assert rows == [("精确客户", D("0.00"), D("0.00"), D("0.10"), D("0.00"), D("0.10"))]
    assert totals["total"] == D("0.10")


def test_contracts_not_in_force_owe_nothing(app, people):
    """Drafts and contracts under review are not receivables; closed ones still owe."""
    customer = make_customer(app, people["seller"], name="状态客户")
    for status in (ContractStatus.DRAFT, ContractStatus.SUBMITTED):
        make_contract(app, customer, terms=(("advance", "100.00", -1),), status=status)
    make_contract(app, customer, terms=(("advance", "7.00", -1),), status=ContractStatus.CLOSED)
    rows, _totals, _result = _aging(app, "seller")
    assert [r[5] for r in rows] == [D("7.00")]


def test_each_user_ages_only_their_scope(app, people):
    """Staff: their customers; manager: the department (within clearance); GM: all."""
    make_contract(app, make_customer(app, people["seller"], name="甲客户"),
                  terms=(("advance", "10.00", -1),))
    make_contract(app, make_customer(app, people["other"], name="乙客户"),
                  terms=(("advance", "20.00", -100),))
    top = make_user(app, "top", clearance=Level.CONFIDENTIAL)
    make_contract(app, make_customer(app, top, name="机密客户", confidentiality=Level.CONFIDENTIAL),
                  terms=(("advance", "40.00", 3),))
    assert [r[0] for r in _aging(app, "seller")[0]] == ["甲客户"]
    assert [r[0] for r in _aging(app, "boss")[0]] == ["乙客户", "甲客户"]
    assert [r[0] for r in _aging(app, "gm")[0]] == ["机密客户", "乙客户", "甲客户"]
    by_person = _aging(app, "boss", group="salesperson")[0]
    assert [(r[0], r[5]) for r in by_person] == [("张丽", D("20.00")), ("李明", D("10.00"))]


def test_pages_of_groups_keep_the_totals_of_all_groups(app, people):
    """Largest first, one per page; the totals are always those of every group."""
    for name, amount in (("一号", "3.00"), ("二号", "2.00"), ("三号", "1.00")):
        make_contract(app, make_customer(app, people["seller"], name=name),
                      terms=(("advance", amount, -1),))
    rows, totals, first = _aging(app, "seller", size=1)
    assert [r[0] for r in rows] == ["一号"] and totals["total"] == D("6.00")
    rows, totals, second = _aging(app, "seller", size=1, after=first.page.next_cursor)
    assert [r[0] for r in rows] == ["二号"] and totals["d1_30"] == D("6.00")
    rows, _totals, third = _aging(app, "seller", size=1, after=second.page.next_cursor)
    assert [r[0] for r in rows] == ["三号"] and third.page.next_cursor is None
    rows, _totals, _back = _aging(app, "seller", size=1, before=third.page.prev_cursor)
    assert [r[0] for r in rows] == ["二号"]
    assert second.groups == 3


def test_the_page_shows_both_views_and_drills_down(app, client, people):
    """Per customer and per salesperson, totals, and links to one customer's or one
    salesperson's open terms with their days past due."""
    customer = make_customer(app, people["seller"], name="钻取客户")
    contract = make_contract(app, customer, terms=(("advance", "100.00", -31),
                                                   ("acceptance", "50.00", 2)))
    make_payment(app, contract, "40.00")
    client.login("boss")
    html = client.get("/sales/receivables/").get_data(as_text=True)
    assert f'href="/sales/receivables/?customer={customer.id}"' in html
    assert re.search(r'id="aging-totals">.*?data-bucket="d31_90">¥60.00<', html, re.S)
    people_html = client.get("/sales/receivables/?view=salesperson").get_data(as_text=True)
    assert f'href="/sales/receivables/?owner={people["seller"].id}"' in people_html
    for url in (f"/sales/receivables/?customer={customer.id}",
                f"/sales/receivables/?owner={people['seller'].id}"):
        detail = client.get(url).get_data(as_text=True)
        assert detail.count('<tr id="term-') == 2 and "逾期 31 天" in detail
        assert f'/sales/contracts/{contract.id}/payments' in detail


def test_a_drill_down_never_widens_the_scope(app, client, people):
    """Asking for another salesperson's customer shows nothing of theirs; an unknown one 404."""
    theirs = make_customer(app, people["other"], name="他人客户")
    make_contract(app, theirs, terms=(("advance", "9.00", -1),))
    client.login("seller")
    html = client.get(f"/sales/receivables/?customer={theirs.id}").get_data(as_text=True)
    assert 'id="empty-state"' in html and "¥9.00" not in html
    assert client.get("/sales/receivables/?customer=99999").status_code == 404
    assert client.get(f"/sales/receivables/?owner={people['other'].id}").status_code == 200


def test_statistics_list_the_periods_contracts_with_their_payment_history(app, client, people):
    """表5-21: contracts in force signed in the period, numbered, each with its payments;
    the period's totals; an inverted period is refused with a message."""
    day = today(app)
    customer = make_customer(app, people["seller"], name="统计客户")
    inside = make_contract(app, customer, sign_date=day - timedelta(days=3),
                           lines=(("主机", "M1", "台", "2", "0.15"),),
                           terms=(("advance", "0.30", 0),))
    make_contract(app, customer, sign_date=day - timedelta(days=400))
    make_payment(app, inside, "0.10", paid_on=day)
    client.login("seller")
    start = (day - timedelta(days=10)).isoformat()
    html = client.get(f"/sales/statistics/?date_from={start}&date_to={day}").get_data(
        as_text=True)
    assert html.count('<tr id="contract-') == 1 and inside.number in html
    assert 'id="amount-sum">¥0.30<' in html and 'id="received-sum">¥0.10<' in html
    assert f"{day.isoformat()} ¥0.10" in html
    bad = client.get(f"/sales/statistics/?date_from={day}&date_to={start}")
    assert bad.status_code == 422 and "截止日期不能早于起始日期" in bad.get_data(as_text=True)
    assert client.get("/sales/statistics/?date_from=2026-13-01").status_code == 422


def test_the_aging_kept_for_its_viewer_sums_what_is_owed_when_it_runs(app, client, people):
    """Rule: the aging page's statement is built once per viewer, view, day and cursor
    (services.core.viewer_statements), and its rows kept with it until the data changes: a
    payment recorded after the first visit lowers the next visit's figures."""
    contract = make_contract(app, make_customer(app, people["seller"], name="保留客户"),
                             terms=(("advance", "100.00", -31),))
    client.login("boss")
    totals = re.compile(r'id="aging-totals">.*?data-bucket="d31_90">(¥[\d.,]+)<', re.S)
    assert totals.search(client.get("/sales/receivables/").get_data(as_text=True))[1] == \
        "¥100.00"
    make_payment(app, contract, "40.00")
    assert totals.search(client.get("/sales/receivables/").get_data(as_text=True))[1] == \
        "¥60.00"


def _summed(client, url: str) -> int:
    """How many statements of one GET of `url` summed the terms (the aging's GROUP BY)."""
    with counted() as counter:
        assert client.get(url).status_code == 200
    return sum("GROUP BY" in statement for statement in counter.statements)


def test_a_page_of_the_aging_is_summed_once_until_what_it_sums_changes(app, client, people):
    """Rule: a viewer's page of the aging is kept (services.core.data_versions) and served
    again without summing the terms, until a contract, term or payment is written: the next
    visit then sums them again."""
    contract = make_contract(app, make_customer(app, people["seller"], name="保留客户"),
                             terms=(("advance", "100.00", -31),))
    client.login("boss")
    assert _summed(client, "/sales/receivables/") == 1
    assert _summed(client, "/sales/receivables/") == 0
    assert _summed(client, "/sales/receivables/?view=salesperson") == 1
    make_payment(app, contract, "40.00")
    assert _summed(client, "/sales/receivables/") == 1


def test_contracts_moved_by_one_statement_leave_no_kept_page_behind(app, client, people):
    """Rule: a write that is not the ORM's (a hand-over moves contracts with one UPDATE) also
    drops the kept pages: the salesperson view shows the new owner at once."""
    make_contract(app, make_customer(app, people["seller"], name="交接客户"),
                  terms=(("advance", "100.00", -31),))
    client.login("boss")
    assert "李明" in client.get("/sales/receivables/?view=salesperson").get_data(as_text=True)
    with app.app_context():
        transfers.move_contracts(Contract.owner_id == people["seller"].id,
                                 db.session.get(User, people["other"].id))
        db.session.commit()
    html = client.get("/sales/receivables/?view=salesperson").get_data(as_text=True)
    assert "张丽" in html and "李明" not in html
