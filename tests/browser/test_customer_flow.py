"""The customer master as sales staff use it, in a real browser."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from app.models import Industry
from tests.factories.customers import make_customer
from tests.support import sign_in

pytestmark = pytest.mark.browser

# The name's middle pair 鲸舟 occurs in no other customer. The others each share one of its
# characters, or both apart, so a search that matched single characters would show them too.
NAME = "蔚蓝鲸舟软件有限公司"
TERM = "鲸舟"
NEIGHBOURS = ("鲸鱼湾贸易有限公司", "轻舟咨询有限公司", "舟山鲸海渔业有限公司")
PHONE = "13812345678"
MASKED_PHONE = "138****5678"
NUMBER = re.compile(r"^20\d\d-TECH-\d{3}$")


def _search_for(term: str):
    """Matches the list's search request for exactly `term`."""
    return lambda response: ("/customers/" in response.url
                             and parse_qs(urlsplit(response.url).query).get("q") == [term])


def test_staff_registers_finds_opens_and_leaves(page: Page, page_errors, live_server):
    """Sales staff sign in, register a customer and see it numbered with the phone masked
    (the full phone never reaches the page), find it in the list by two characters of its
    name while typing (only that customer matches), open it, and sign out to the login page.
    """
    owner = live_server.users["b_sales"]
    for name in NEIGHBOURS:
        make_customer(live_server.app, owner, name=name, industry=Industry.TRADE)

    sign_in(page, "b_sales")
    page.get_by_role("link", name="客户档案", exact=True).click()
    expect(page).to_have_url(re.compile(r"/customers/$"))
    page.click("#new-customer")

    expect(page.get_by_role("heading", name="登记新客户")).to_be_visible()
    page.fill("#name", NAME)
    page.select_option("#kind", "unit")
    page.fill("#contact_name", "韩雪")
    page.fill("#phone", PHONE)
    page.fill("#address", "杭州市西湖区文三路90号")
    page.select_option("#industry", Industry.TECH.value)
    page.select_option("#type", "potential")
    page.select_option("#grade", "A")
    page.select_option("#source", "referral")
    page.click("#save-customer")

    expect(page).to_have_url(re.compile(r"/customers/\d+$"))
    detail_url = page.url
    detail = page.locator("#customer-detail")
    expect(detail.get_by_role("heading", level=1)).to_have_text(NAME)
    number = detail.locator(".breadcrumb [aria-current=page]")
    expect(number).to_have_text(NUMBER)
    number_text = number.inner_text().strip()
    expect(page.locator("#alerts")).to_contain_text(f"客户 {number_text} 已登记。")
    expect(page.locator("#pii-phone")).to_contain_text(MASKED_PHONE)
    assert PHONE not in page.content()

    page.get_by_role("link", name="返回列表").click()
    rows = page.locator("#results tbody tr")
    for name in (NAME, *NEIGHBOURS):
        expect(rows.filter(has_text=name)).to_have_count(1)
    with page.expect_response(_search_for(TERM)) as search:
        page.locator("#q").press_sequentially(TERM, delay=80)
    assert search.value.status == 200, f"the search answered {search.value.status}"
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(number_text)
    expect(rows.first).to_contain_text(MASKED_PHONE)
    expect(page).to_have_url(re.compile(r"[?&]q=%E9%B2%B8%E8%88%9F"))
    assert PHONE not in page.content()

    rows.first.get_by_role("link", name=NAME).click()
    expect(page).to_have_url(detail_url)
    expect(page.locator("#customer-detail h1")).to_have_text(NAME)

    page.click("#user-menu")
    page.click("#logout-button")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("#username")).to_be_visible()
    expect(page.locator("#alerts")).to_contain_text("您已安全退出。")
    page.goto(detail_url)
    expect(page).to_have_url(re.compile(r"/login\b"))
    assert page_errors == []
