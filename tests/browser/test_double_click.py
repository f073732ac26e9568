"""Double clicks in a real browser save once: 登记回款 clicked twice records one payment (what
the customer owes drops once), 保存 on a new contract clicked twice makes one draft, 生成外呼名单
clicked twice files one full-phone export (and its file is then taken). The button
is disabled while its request runs, and a second post that gets through anyway carries the
same one-time token, which the server answers with the first result."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from app.extensions import db
from app.models import Contract, Level, Payment, PhoneExport
from app.timeutil import local_today
from tests.factories.customers import make_customer
from tests.factories.sales import make_contract
from tests.support import serial, sign_in

pytestmark = pytest.mark.browser


def _count(live_server, query) -> int:
    with live_server.app.app_context():
        return db.session.scalar(query)


def _payments_of(live_server, contract_id: int) -> int:
    return _count(live_server, select(func.count()).select_from(Payment).where(
        Payment.contract_id == contract_id))


def _payment_page(page: Page, live_server) -> int:
    """A contract in force owing ¥1,000.00 (one 预付款), its payments page open; its id."""
    customer = make_customer(live_server.app, live_server.users["b_sales"])
    contract = make_contract(live_server.app, customer)
    sign_in(page, "b_sales")
    page.goto(f"/sales/contracts/{contract.id}/payments")
    expect(page.locator("#summary-outstanding")).to_have_text("¥1,000.00")
    page.select_option("#term", index=1)
    page.fill("#amount", "300")
    return contract.id


def test_double_clicking_record_payment_records_one_payment(page: Page, page_errors,
                                                             live_server):
    """Two quick clicks on 登记回款: one payment of ¥300, outstanding ¥700 (not ¥400)."""
    contract_id = _payment_page(page, live_server)
    page.dblclick("#record-payment")

    expect(page.locator("#alerts")).to_contain_text("已登记回款 ¥300.00。")
    expect(page.locator("#payment-history tbody tr")).to_have_count(1)
    expect(page.locator("#summary-outstanding")).to_have_text("¥700.00")
    page.wait_for_load_state("networkidle")
    assert _payments_of(live_server, contract_id) == 1
    assert page_errors == []


def test_a_second_submit_past_the_button_answers_with_the_first_payment(page: Page,
                                                                        live_server):
    """The form sent twice by script (as a stuck button or a retry would): the second post
    repeats the token and is answered with the first result, still one payment."""
    contract_id = _payment_page(page, live_server)
    with page.expect_response(re.compile(r"/payments$")):
        page.evaluate("""() => {
            const form = document.getElementById("payment-form");
            form.requestSubmit();
            form.requestSubmit();
        }""")
    expect(page.locator("#summary-outstanding")).to_have_text("¥700.00")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#summary-outstanding")).to_have_text("¥700.00")
    assert _payments_of(live_server, contract_id) == 1


def test_double_clicking_save_on_a_new_contract_makes_one_draft(page: Page, page_errors,
                                                                live_server):
    """Two quick clicks on 保存 of a new contract: one draft, and the browser shows it."""
    customer = make_customer(live_server.app, live_server.users["b_sales"])
    name = f"双击测试采购合同{serial()}"
    with live_server.app.app_context():
        today = local_today().isoformat()
    sign_in(page, "b_sales")
    page.goto(f"/sales/contracts/new?customer_id={customer.id}")
    page.fill("#name", name)
    page.fill("#sign_date", today)
    page.select_option("#confidentiality", str(int(Level.INTERNAL)))  # the customer's level
    page.get_by_label("第 1 行产品名称").fill("服务器")
    page.get_by_label("第 1 行单位").fill("台")
    page.get_by_label("第 1 行数量").fill("2")
    page.get_by_label("第 1 行单价（元）").fill("500")
    page.get_by_label("第 1 项到期日期").fill(today)
    page.get_by_label("第 1 项金额（元）").fill("1000")
    page.get_by_label("第 1 项金额（元）").blur()
    expect(page.locator("#contract-total")).to_have_text("¥1,000.00")
    page.dblclick("#save-contract")

    expect(page).to_have_url(re.compile(r"/sales/contracts/\d+$"))
    expect(page.locator("#contract-status")).to_have_text("草稿")
    page.wait_for_load_state("networkidle")
    assert _count(live_server, select(func.count()).select_from(Contract).where(
        Contract.name == name)) == 1
    assert page_errors == []


def test_double_clicking_the_call_list_files_one_request_whose_file_is_taken(
        page: Page, page_errors, live_server):
    """Two quick clicks on 生成外呼名单 (a list under the approval threshold): one request, its
    page offers the file, and the file downloads with the list's name and the date."""
    name = f"外呼双击测试{serial()}有限公司"
    reason = f"季度回访{serial()}"
    make_customer(live_server.app, live_server.users["b_sales"], name=name, phone="13912345678")
    sign_in(page, "b_sales")
    page.goto(f"/customers/phone-export?q={name}")
    expect(page.locator("#phone-export-summary")).to_contain_text("1 位客户")
    page.fill("#reason", reason)
    page.dblclick("#phone-export-submit")

    expect(page).to_have_url(re.compile(r"/customers/phone-exports/\d+$"))
    page.wait_for_load_state("networkidle")
    assert _count(live_server, select(func.count()).select_from(PhoneExport).where(
        PhoneExport.reason == reason)) == 1
    with page.expect_download() as download:
        page.click("#phone-export-download")
    assert re.fullmatch(r"外呼名单-\d{4}-\d{2}-\d{2}.*\.xlsx", download.value.suggested_filename)
    assert page_errors == []
