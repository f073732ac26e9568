"""The two-person rule as people meet it: an administrator asks for a general manager's
account, which starts as 专员; the GM approves it inline in 我的待办, password re-entered."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import DeptCode, Level, Role, User
from tests.factories.people import make_user
from tests.support import PASSWORD, sign_in

pytestmark = pytest.mark.browser


def _sign_out(page: Page) -> None:
    page.click("#user-menu")
    page.click("#logout-button")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_a_gm_account_waits_for_the_gms_signature(page: Page, page_errors, live_server):
    app = live_server.app
    make_user(app, "b_admin", role=Role.ADMIN, dept=DeptCode.IT)
    make_user(app, "b_gm", role=Role.GM, dept=DeptCode.MANAGEMENT,
              clearance=Level.CONFIDENTIAL, full_name="冯总")

    sign_in(page, "b_admin")
    page.goto("/admin/users/new")
    page.fill("#username", "b_gm2")
    page.fill("#full_name", "褚副总")
    page.fill("#employee_no", "BG0002")
    page.select_option("#department", label="总经理办公室")
    page.select_option("#role", "gm")
    page.select_option("#clearance", "4")
    page.fill("#temporary_password", "Temp-2026x")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("须经总经理或另一位系统管理员审批")).to_be_visible()
    expect(page.locator("tr", has_text="b_gm2")).to_contain_text("专员")
    _sign_out(page)

    sign_in(page, "b_gm")
    page.get_by_role("link", name=re.compile("我的待办")).click()
    row = page.locator("tr.approval-row", has_text="褚副总")
    expect(row).to_contain_text("账户授权")
    row.get_by_role("link", name="查看内容").click()  # the content first, then the form
    expect(row.locator("input[name=password]")).to_be_visible()
    row.locator("input[name=password]").fill(PASSWORD)
    with page.expect_response(re.compile(r"/approvals/\d+/approve$")) as answer:
        row.get_by_role("button", name="同意").click()
    assert answer.value.status == 200
    expect(page.locator("tr.approval-row", has_text="已同意")).to_have_count(1)
    with app.app_context():
        granted = db.session.scalar(select(User).where(User.username == "b_gm2"))
        assert (granted.role, granted.clearance) == (Role.GM, Level.CONFIDENTIAL)
    assert page_errors == []
