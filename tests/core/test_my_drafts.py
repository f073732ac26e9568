"""我的草稿 on the home page: the user's own unsubmitted customers (and contracts, which the sales
department registers), linked, capped, with an empty state; never a colleague's draft, never a
submitted record."""

import re

from app.extensions import db
from app.models import Customer, CustomerStatus
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.sales import make_contract


def _drafts_section(html: str) -> str:
    found = re.search(r'<section[^>]*id="my-drafts-section".*?</section>', html, re.S)
    assert found, "no 我的草稿 section"
    return found.group(0)


def test_the_home_page_lists_my_draft_customers_and_contracts_with_links(client, app):
    people = make_people(app, "sales1", "sales2")
    mine = make_customer(app, people["sales1"], name="我的草稿客户有限公司")
    submitted = make_customer(app, people["sales1"], name="已提交客户有限公司")
    make_customer(app, people["sales2"], name="同事草稿客户有限公司")
    contract = make_contract(app, by=people["sales1"], name="草稿合同甲")
    with app.app_context():
        db.session.get(Customer, submitted.id).status = CustomerStatus.SUBMITTED
        db.session.commit()
    client.login("sales1")
    section = _drafts_section(client.get("/").get_data(as_text=True))
    assert f'href="/customers/{mine.id}"' in section and "我的草稿客户有限公司" in section
    assert f'href="/sales/contracts/{contract.id}"' in section and "草稿合同甲" in section
    assert "已提交客户有限公司" not in section and "同事草稿客户有限公司" not in section
    assert 'href="/customers/?status=draft"' in section


def test_no_drafts_says_so(client, app):
    make_people(app, "sales1")
    client.login("sales1")
    assert "没有未提交的草稿。" in _drafts_section(client.get("/").get_data(as_text=True))


def test_the_list_is_capped_and_says_it_is(client, app):
    people = make_people(app, "sales1")
    for n in range(12):
        make_customer(app, people["sales1"], name=f"草稿客户{n:02d}有限公司")
    client.login("sales1")
    section = _drafts_section(client.get("/").get_data(as_text=True))
    assert len(re.findall(r"data-draft=", section)) == 10
    assert "仅显示最近 10 条" in section
    assert "草稿客户11有限公司" in section  # most recently changed first


def test_who_registers_nothing_gets_no_drafts_section(client, app):
    make_people(app, "auditor")
    client.login("auditor")
    assert 'id="my-drafts-section"' not in client.get("/").get_data(as_text=True)
