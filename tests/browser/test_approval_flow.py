"""The archive review as people do it: the salesperson submits, the manager signs from the
inbox without leaving the page, and the signed card prints as a PDF."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories.customers import make_customer
from tests.support import PASSWORD, sign_in

pytestmark = pytest.mark.browser

NAME = "澄江云帆科技有限公司"


def _sign_out(page: Page) -> None:
    page.click("#user-menu")
    page.click("#logout-button")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_submit_approve_inline_and_print(page: Page, page_errors, live_server, tmp_path):
    """A draft becomes 已生效 once the manager approves it inline in 我的待办 (password
    re-entered, the row replaced in place, the counter refreshed), and its PDF downloads."""
    customer = make_customer(live_server.app, live_server.users["b_sales"], name=NAME)

    sign_in(page, "b_sales")
    page.goto(f"/customers/{customer.id}")
    expect(page.locator("#customer-status")).to_have_text("草稿")
    page.click("#submit-customer")
    expect(page.locator("#customer-status")).to_have_text("审批中")
    _sign_out(page)

    sign_in(page, "b_mgr")
    expect(page.locator("#todo-count [data-todo]")).to_have_text("1")
    page.get_by_role("link", name=re.compile("我的待办")).click()
    row = page.locator("tr.approval-row", has_text=NAME)
    row.get_by_role("link", name="查看内容").click()  # the content first, then the form
    expect(row.locator("input[name=password]")).to_be_visible()
    row.locator("input[name=password]").fill(PASSWORD)
    row.locator("input[name=comment]").fill("资料齐全，同意")
    with page.expect_response(re.compile(r"/approvals/\d+/approve$")) as answer:
        row.get_by_role("button", name="同意").click()
    assert answer.value.status == 200
    expect(page.locator("tr.approval-row", has_text="已同意")).to_have_count(1)
    expect(page.locator("#todo-count [data-todo]")).to_have_count(0)
    assert page.url.endswith("/approvals/")  # no navigation: the row was swapped in place

    page.goto(f"/customers/{customer.id}")
    expect(page.locator("#customer-status")).to_have_text("已生效")
    expect(page.locator("#signature-valid")).to_be_visible()
    expect(page.locator("#review-panel .signer")).to_contain_text("孔敏")
    with page.expect_download() as download:
        page.get_by_role("link", name="打印").click()
    saved = tmp_path / "card.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename.endswith(".pdf")
    assert saved.read_bytes().startswith(b"%PDF")
    assert page_errors == []
