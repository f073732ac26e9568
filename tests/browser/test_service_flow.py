"""A customer's call end to end, as 首问负责制 has it: a salesperson takes the call and registers
it for the customer (the customer picker); the 客服 manager assigns a 负责人; the handler starts
the work, logs a follow-up, completes it, records the customer's confirmation and closes it;
the return visit after the service then appears on the handler's /service/visits/."""

import re

import pytest
from playwright.sync_api import Page, expect

from app.models import DeptCode, Level, Role
from tests.factories.customers import make_customer
from tests.factories.people import make_user
from tests.support import sign_in

pytestmark = pytest.mark.browser

CUSTOMER = "澄江服务流程科技有限公司"
CONTENT = "机房 UPS 电源告警，客户请求上门检修"
POINTS = "已电话联系客户，约定明天上午上门更换电池组"


def _sign_out(page: Page) -> None:
    page.click("#user-menu")
    page.click("#logout-button")
    expect(page).to_have_url(re.compile(r"/login$"))


def _register(page: Page, customer_id: int, salesperson: str) -> str:
    """The salesperson registers the call; returns the record's URL."""
    sign_in(page, "b_sales")
    page.goto("/service/records/new")
    expect(page.get_by_role("heading", name="登记客户服务")).to_be_visible()
    with page.expect_response(re.compile(r"/customers/pick\?")) as options:
        page.get_by_role("combobox", name="客户").press_sequentially("澄江")
    assert options.value.status == 200
    page.get_by_role("option", name=re.compile(CUSTOMER)).click()
    expect(page.locator('input[name="customer_id"]')).to_have_value(str(customer_id))
    page.select_option("#service_type", "aftersales")
    page.select_option("#after_sales_kind", "repair")
    page.select_option("#priority", "high")
    page.fill("#content", CONTENT)
    page.click("#save-record")

    expect(page).to_have_url(re.compile(r"/service/records/\d+$"))
    expect(page.locator("#record-status")).to_have_attribute("data-status", "pending")
    expect(page.locator("#record-handler")).to_have_text("待指派")  # sales hands it to 客服部
    expect(page.locator("#first-receiver")).to_have_text(f"{salesperson}（销售部）")
    expect(page.locator("#record-content")).to_have_text(CONTENT)
    return page.url


def _assign(page: Page, record_url: str) -> None:
    """The 客服 manager names the 负责人."""
    sign_in(page, "sf_mgr")
    page.goto(record_url)
    page.select_option("#assign-handler", label="宁服务")
    page.locator("#assign-form").get_by_role("button", name="指派").click()
    expect(page.locator("#record-handler")).to_have_text("宁服务")


def _set_status(page: Page, to: str) -> None:
    page.select_option("#status-to", to)
    page.locator("#status-form").get_by_role("button", name="更新").click()
    expect(page.locator("#record-status")).to_have_attribute("data-status", to)


def _work_and_close(page: Page, record_url: str) -> None:
    """The handler works the record through to 已关闭."""
    sign_in(page, "sf_cs")
    page.goto(record_url)
    _set_status(page, "processing")

    page.locator("#follow-up-form-box summary").click()
    page.fill("#points", POINTS)
    page.click("#save-follow-up")
    follow_ups = page.locator("#follow-ups")
    expect(follow_ups).to_contain_text(POINTS)
    expect(follow_ups.locator("[data-total]")).to_have_attribute("data-total", "1")

    _set_status(page, "done")
    form = page.locator("#confirmation-form")
    form.get_by_label("满意度评分").select_option("5")
    form.get_by_label("确认方式").select_option("phone")
    form.get_by_label("客户确认人").fill("王经理")
    form.get_by_role("button", name="登记确认").click()
    expect(page.locator("#record-satisfaction")).to_have_text("5")

    _set_status(page, "closed")
    expect(page.locator("#follow-ups-stopped")).to_be_visible()


def _return_visit_appears(page: Page) -> None:
    """The after-service visit is on the handler's list, due and assigned to them."""
    page.goto(f"/service/visits/?q={CUSTOMER}")
    row = page.locator("tr[data-visit]", has_text="服务回访")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(CUSTOMER)
    expect(row).to_contain_text("宁服务")
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "due")


def test_call_registered_assigned_worked_closed_and_visited(page: Page, page_errors,
                                                            live_server):
    app = live_server.app
    make_user(app, "sf_mgr", role=Role.MANAGER, dept=DeptCode.SERVICE, clearance=Level.SECRET,
              full_name="柯主管")
    make_user(app, "sf_cs", dept=DeptCode.SERVICE, full_name="宁服务")
    customer = make_customer(app, live_server.users["b_sales"], name=CUSTOMER)

    record_url = _register(page, customer.id, live_server.users["b_sales"].full_name)
    _sign_out(page)
    _assign(page, record_url)
    _sign_out(page)
    _work_and_close(page, record_url)
    _return_visit_appears(page)
    assert page_errors == []
