"""The 表5-25 销售合同归档汇总登记台账 (the catalogue filtered to contracts, printable with the
contract's signed key figures) and the customer page's 档案 section (the record's 档号 on its
page, as the viewer's catalogue shows it)."""

from app.extensions import db
from app.models import AuditEvent
from tests.factories.archive import catalogue_item, filed_contract
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.support import pdf_text


def test_register_lists_contracts_and_prints_their_signed_figures(app, client, team):
    """A filed contract is on the register with its amount as signed; a filed customer file
    is not; the print (A4, 表5-25) carries them and is audited."""
    contract = filed_contract(app, team)
    other = catalogue_item(app, team.archivist, record_type="Customer", title="客户档案件")
    client.login("archivist")
    page = client.get("/archive/items/contracts").get_data(as_text=True)
    assert contract.archive_number in page and other.archive_number not in page
    assert "合同金额" in page
    response = client.get("/archive/items/contracts.pdf")
    text = pdf_text(response.data)
    assert "销售合同归档汇总登记台账" in text and contract.business_number in text
    assert other.archive_number not in text
    with app.app_context():
        assert db.session.scalar(db.select(AuditEvent.object_label).where(
            AuditEvent.action == "print").order_by(AuditEvent.id.desc())).startswith(
            "销售合同归档汇总登记台账")


def test_customer_page_shows_its_filed_items(app, client):
    """The customer's page lists its filed items by 档号 with their state for the owner
    (their department's items); the 客服 manager, whose catalogue holds none of them, sees
    the section empty."""
    people = make_people(app, "archivist", "sales1", "cs_mgr")
    customer = make_customer(app, people["sales1"], name="档案区块测试有限公司")
    item = catalogue_item(app, people["archivist"], customer_id=customer.id)
    client.login("sales1")
    text = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert 'id="customer-archive"' in text
    assert f'data-archive-number="{item.archive_number}"' in text
    client.login("cs_mgr")
    text = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert item.archive_number not in text
