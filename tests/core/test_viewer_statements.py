"""Statements built once per viewer (services.core.viewer_statements): a kept statement finds
what its viewer may see now. Another viewer, a change of the viewer's rights and rows added
after it was built are all seen as if it were built anew; what varies by record is bound when
it runs."""

from app.extensions import db
from app.models import Level, Role, User
from app.services.core import viewer_statements
from app.services.core.viewer_statements import for_viewer
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.sales import make_contract


def test_one_build_per_viewer_and_another_when_their_rights_change(app):
    """Rule: a statement is kept under the viewer's id, role, department, clearance and
    activity (what policy decides by); a change of any of them builds it again."""
    people = make_people(app, "sales1", "sales2")
    built = []

    def build():
        built.append(object())
        return built[-1]
    with app.test_request_context():
        sales1, sales2 = (db.session.get(User, people[n].id) for n in ("sales1", "sales2"))
        first = for_viewer("probe", sales1, build)
        assert for_viewer("probe", sales1, build) is first
        assert for_viewer("probe", sales2, build) is not first
        assert for_viewer("probe", sales1, build, extra="another day") is not first
        for change in ({"clearance": Level.SECRET}, {"role": Role.MANAGER}):
            for name, value in change.items():
                setattr(sales1, name, value)
            assert for_viewer("probe", sales1, build) is built[-1] is not first
        assert len(built) == 5


def test_the_customer_page_finds_contracts_added_after_its_statements_were_built(app, client):
    """Rule: the customer page's sections run kept statements with the customer's id bound:
    a contract registered after the first visit shows on the next, another customer's never,
    and a colleague outside the owner's scope sees none of them."""
    people = make_people(app, "sales1", "sales2")
    customer = make_customer(app, people["sales1"], name="保留语句客户有限公司")
    other = make_customer(app, people["sales1"], name="另一客户有限公司")
    make_contract(app, customer, by=people["sales1"], name="第一份合同")
    client.login("sales1")
    assert "第一份合同" in client.get(f"/customers/{customer.id}").get_data(as_text=True)
    make_contract(app, customer, by=people["sales1"], name="第二份合同")
    make_contract(app, other, by=people["sales1"], name="别家的合同")
    page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "第一份合同" in page and "第二份合同" in page and "别家的合同" not in page
    assert "别家的合同" in client.get(f"/customers/{other.id}").get_data(as_text=True)
    client.login("sales2")
    seen = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "第一份合同" not in seen and "第二份合同" not in seen


def test_the_least_recently_used_statement_goes_first_beyond_the_bound(app, monkeypatch):
    """Rule: at most _KEPT_MAX statements are kept; beyond it the one used longest ago is
    dropped (and built again if asked for), the others stay."""
    monkeypatch.setattr(viewer_statements, "_KEPT_MAX", 2)
    people = make_people(app, "sales1")
    with app.test_request_context():
        viewer = db.session.get(User, people["sales1"].id)
        first = for_viewer("first", viewer, object)
        second = for_viewer("second", viewer, object)
        assert for_viewer("first", viewer, object) is first  # now the most recently used
        for_viewer("third", viewer, object)  # drops "second"
        assert for_viewer("first", viewer, object) is first
        assert for_viewer("second", viewer, object) is not second
