"""The home page's customer counts by type: capped (counting stops at COUNT_CAP, shown as
"3+"), in one statement with the page's other figures, within the user's data scope."""

import re

from sqlalchemy import select

from app import policy
from app.extensions import db
from app.models import Customer, CustomerType, User
from app.services.core.pagination import CappedCounts
from app.services.customers.operations import by_type
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.queries import counted


def _counts(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-count="(total|potential|intent|deal|lost)">([^<]*)<', html))


def _world(app, monkeypatch):
    """sales1 owns 5 potential and 2 intent customers, sales2 owns 3 deals; the cap is 3."""
    monkeypatch.setitem(app.config, "COUNT_CAP", 3)
    people = make_people(app, "sales1", "sales2", "sales_mgr")
    for kind, owner, n in ((CustomerType.POTENTIAL, "sales1", 5),
                           (CustomerType.INTENT, "sales1", 2), (CustomerType.DEAL, "sales2", 3)):
        for _ in range(n):
            make_customer(app, people[owner], type=kind)
    return people


def test_counts_stop_at_the_cap_and_say_so(app, client, monkeypatch):
    """A type with more customers than the cap shows "cap+", and so does the total; a type with
    exactly the cap is an exact count."""
    _world(app, monkeypatch)
    client.login("sales_mgr")
    assert _counts(client.get("/").get_data(as_text=True)) == {
        "total": "8+", "potential": "3+", "intent": "2", "deal": "3", "lost": "0"}


def test_counts_follow_the_data_scope(app, client, monkeypatch):
    """A salesperson counts only their own customers: a colleague's deals are not among them."""
    _world(app, monkeypatch)
    client.login("sales1")
    assert _counts(client.get("/").get_data(as_text=True)) == {
        "total": "5+", "potential": "3+", "intent": "2", "deal": "0", "lost": "0"}
    client.login("sales2")
    assert _counts(client.get("/").get_data(as_text=True)) == {
        "total": "3", "potential": "0", "intent": "0", "deal": "3", "lost": "0"}


def test_every_type_is_counted_in_one_statement_within_the_scope(app, monkeypatch):
    """One statement counts each type no further than the cap (the home page adds its other
    figures to it), within the data scope."""
    people = _world(app, monkeypatch)
    with app.test_request_context():
        for name, expected in (
                ("sales2", {CustomerType.DEAL: (3, False)}),
                ("sales1", {CustomerType.POTENTIAL: (3, True), CustomerType.INTENT: (2, False)})):
            user = db.session.get(User, people[name].id)
            types = by_type(policy.scope(select(Customer), user, Customer))
            with counted() as counter:
                counts = CappedCounts.of([(query, Customer, 3) for _kind, query in types]).run()
            assert counter.count == 1, name
            assert {kind: n for (kind, _query), n in zip(types, counts, strict=True)
                    if n[0]} == expected
