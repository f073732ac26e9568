"""The receivables aging as the database sums it (issue 11, requirement 5): a reversed payment
(红冲) owes again in the bucket of its term, on the page, in the drill-down and in the export;
each bucket is the difference of running sums, so a group owing in one bucket only shows
exact zeros elsewhere; the export reads every group once, largest first, however it is
batched."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Contract, PaymentTerm, User
from app.policy import scope
from app.services.sales.ledger import receivables
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.sales import make_contract, make_payment
from tests.support import D, sheet


@pytest.fixture
def people(app):
    """Two salespeople (李明, 张丽) and their manager (赵强)."""
    return make_people(app, "seller", "other", "boss", named=("seller", "other", "boss"))


def _cells(html: str, row_id: str) -> dict[str, str]:
    """{bucket: amount shown} of one row of the aging table."""
    row = re.search(rf'<tr id="{row_id}">(.*?)</tr>', html, re.S).group(1)
    return dict(re.findall(r'data-bucket="(\w+)">([^<]*)<', row))


def test_a_reversed_payment_owes_again_in_its_bucket_everywhere(app, client, people):
    """100.00 due 40 days ago (31–90) paid 30.00 + 20.00, the 30.00 reversed: 80.00 owed in
    31–90 on the aging page, in the open terms and in the export; paid_total is the net 20.00;
    50.00 not yet due stays in its own bucket; the other buckets show ¥0.00, not blanks."""
    customer = make_customer(app, people["seller"], name="红冲账龄客户")
    contract = make_contract(app, customer, terms=(("advance", "100.00", -40),
                                                   ("acceptance", "50.00", 5)))
    wrong = make_payment(app, contract, "30.00")
    make_payment(app, contract, "20.00")
    client.login("seller")
    response = client.post_form(f"/sales/payments/{wrong.id}/reverse", {"reason": "重复登记"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(PaymentTerm.paid_total).where(
            PaymentTerm.contract_id == contract.id, PaymentTerm.amount == D("100.00"))) \
            == D("20.00")
    html = client.get("/sales/receivables/").get_data(as_text=True)
    assert _cells(html, f"customer-{customer.id}") == {
        "not_due": "¥50.00", "d1_30": "¥0.00", "d31_90": "¥80.00", "d90_plus": "¥0.00",
        "total": "¥130.00"}
    assert f'href="/sales/receivables/?customer={customer.id}"' in html
    terms = client.get(f"/sales/receivables/?customer={customer.id}").get_data(as_text=True)
    first = re.search(r'<tr id="term-\d+" data-bucket="d31_90">(.*?)</tr>', terms, re.S).group(1)
    assert re.findall(r"¥[\d,.]+", first) == ["¥100.00", "¥20.00", "¥80.00"]
    rows = sheet(client.get("/sales/receivables/export.xlsx"))
    body = [row for row in rows[1:] if row[1] == "红冲账龄客户"]
    assert [tuple(body[0][3:8])] == [(50, 0, 80, 0, 130)]


def _export_order(app, username: str, group: str, batch: int) -> list[tuple]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        scoped = scope(select(Contract), user, Contract)
        return [(r.key, r.label, r.owner, r.total)
                for r in receivables.all_groups(scoped, group, batch=batch)]


def test_the_export_reads_every_group_once_largest_first(app, people):
    """Ties on the total go by key; batches of one give the same rows as one batch, and the
    same order as paging through the aging; each customer row names its salesperson."""
    amounts = {"甲": "3.00", "乙": "3.00", "丙": "1.00", "丁": "7.00"}
    for name, amount in amounts.items():
        owner = people["other"] if name == "丙" else people["seller"]
        make_contract(app, make_customer(app, owner, name=f"{name}客户"),
                      terms=(("advance", amount, -3),))
    one_by_one = _export_order(app, "boss", "customer", batch=1)
    assert one_by_one == _export_order(app, "boss", "customer", batch=1000)
    assert [(label, total) for _key, label, _owner, total in one_by_one] == [
        ("丁客户", D("7.00")), ("甲客户", D("3.00")), ("乙客户", D("3.00")),
        ("丙客户", D("1.00"))]
    assert one_by_one[1][0] < one_by_one[2][0]
    assert {owner for *_rest, owner, _total in one_by_one} == {"李明", "张丽"}
    with app.app_context():
        boss = db.session.scalar(select(User).where(User.username == "boss"))
        scoped = scope(select(Contract), boss, Contract)
        paged, after = [], None
        while True:
            result = receivables.aging(scoped, "customer", after=after, size=1)
            paged += [row.key for row in result.page.rows]
            if not (after := result.page.next_cursor):
                break
    assert paged == [key for key, *_rest in one_by_one]
    people_rows = _export_order(app, "boss", "salesperson", batch=1)
    assert [(label, total) for _key, label, _owner, total in people_rows] == [
        ("李明", D("13.00")), ("张丽", D("1.00"))]
