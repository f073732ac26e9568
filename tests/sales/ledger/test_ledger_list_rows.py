"""The ledger list reads its page as rows of columns (services.sales.ledger.lists), so policy
decides on each row with allowed_rows rather than can() on an entity: the rows offered 编辑
must be exactly those can() allows on the record itself, for every kind of viewer, a reversal
row (never edited) and a row above the viewer's clearance included."""

import re

from sqlalchemy import select

from app import policy
from app.extensions import db
from app.models import Level, Role, SalesEntry, User
from app.policy import Action
from app.services.sales.ledger import reversals
from tests.factories.customers import make_customer
from tests.factories.people import make_user
from tests.factories.sales import make_contract, make_entry

_EDIT = re.compile(r'href="/sales/ledger/(\d+)/edit"')


def _offered(client) -> set[int]:
    response = client.get("/sales/ledger/")
    assert response.status_code == 200
    return {int(i) for i in _EDIT.findall(response.get_data(as_text=True))}


def _allowed_on_records(app, username: str) -> set[int]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return {e.id for e in db.session.scalars(select(SalesEntry))
                if policy.can(user, Action.EDIT, e)}


def test_the_rows_offered_for_editing_are_those_can_allows(app, client, people):
    """Rule: allowed_rows on the list's rows agrees with can() on each record: own rows for
    the salesperson, the department's for the manager, none for the GM, never a reversal
    row, never a row above clearance."""
    mine = make_entry(app, make_contract(app, make_customer(app, people["seller"])))
    make_entry(app, make_contract(app, make_customer(app, people["other"])))
    cleared = make_user(app, "cleared", clearance=Level.SECRET)
    make_entry(app, make_contract(app, make_customer(app, cleared, confidentiality=Level.SECRET)))
    with app.app_context():
        seller = db.session.get(User, people["seller"].id)
        reversals.reverse(db.session.get(SalesEntry, mine.id), "数量录入错误", seller)
        db.session.commit()
    make_user(app, "gm", role=Role.GM, clearance=Level.SECRET)
    for username in ("seller", "other", "boss", "gm", "cleared"):
        client.login(username)
        expected = _allowed_on_records(app, username)
        assert _offered(client) == expected, username
    client.login("boss")
    assert _offered(client), "the manager may edit some rows: the comparison is not vacuous"
