"""Borrowing a filed contract end to end (issue 13 req. 6 and 12): the contract is filed; its
salesperson asks to read it online and the sales manager approves from 我的待办; a 客服 user's
request for the same contract goes to the GM (another department's file), not to the sales
manager; the borrower reads it in the viewer under their watermark; once the loan is past its
due time the viewer refuses it. The loan's pages pass the axe check."""

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from app.extensions import db
from app.models import DeptCode, Role
from app.models.archive import ArchiveLoan
from app.models.base import utcnow
from tests.browser.test_accessibility import _violations
from tests.factories.approvals import latest_request_id, sign_as
from tests.factories.archive import filed_contract
from tests.factories.people import make_user
from tests.support import PASSWORD, pdf_text, sign_in

pytestmark = pytest.mark.browser

BORROWER, MANAGER, SERVICE, GM = "甘借阅", "项审批", "容客服", "甄总经理"
PURPOSE = "核对合同付款条款，准备对账"


@pytest.fixture
def filed(live_server, tmp_path, monkeypatch):
    """A salesperson's contract signed and filed, with the people of the story."""
    app = live_server.app
    monkeypatch.setitem(app.config, "ARCHIVE_ROOT", str(tmp_path / "archive"))
    monkeypatch.setitem(app.config, "ARCHIVE_SEAL_DIR", str(tmp_path / "seal"))
    team = SimpleNamespace(
        staff=make_user(app, "ar_sales", full_name=BORROWER),
        manager=make_user(app, "ar_mgr", role=Role.MANAGER, full_name=MANAGER),
        gm=make_user(app, "ar_gm", role=Role.GM, dept=DeptCode.MANAGEMENT, full_name=GM),
        archivist=make_user(app, "ar_archivist", role=Role.ARCHIVIST, dept=DeptCode.ARCHIVE),
        service=make_user(app, "ar_cs", dept=DeptCode.SERVICE, full_name=SERVICE))
    # Filing seals the copy with pyHanko, which runs its own asyncio loop: in a thread of its
    # own, since Playwright's sync API keeps a loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        item = pool.submit(filed_contract, app, team, name="借阅流程测试合同").result()
    return team, item


def _sign_out(page: Page) -> None:
    page.click("#user-menu")
    page.click("#logout-button")
    expect(page).to_have_url(re.compile(r"/login$"))


def _request(page: Page, username: str, archive_number: str) -> str:
    """The user asks to read the item online by typing its 档号; returns the loan's URL."""
    sign_in(page, username)
    page.get_by_role("link", name="档案借阅").click()
    page.get_by_role("link", name="申请借阅").first.click()
    expect(page.get_by_role("heading", name="申请借阅")).to_be_visible()
    assert _violations(page) == []
    page.fill("#numbers", archive_number)
    page.get_by_label("在线查阅").check()
    page.fill("#purpose", PURPOSE)
    expect(page.locator("#days")).to_have_value("7")
    page.click("#submit-loan")
    expect(page).to_have_url(re.compile(r"/archive/loans/\d+$"))
    expect(page.locator("#loan-status")).to_have_attribute("data-status", "pending")
    return page.url


def _approve(page: Page, archive_number: str) -> None:
    """The sales manager reads the loan's card in 我的待办 and signs it."""
    sign_in(page, "ar_mgr")
    page.goto("/approvals/")
    row = page.locator("tr.approval-row", has_text=archive_number)
    row.get_by_role("link", name="查看内容").click()
    card = page.locator("tbody.approval-item", has_text=archive_number).locator(
        "section.approval-card")
    expect(card).to_contain_text(BORROWER)
    expect(card).to_contain_text(PURPOSE)
    expect(card).to_contain_text("本部门档案：由本部门经理批准")
    row.locator("input[name=password]").fill(PASSWORD)
    row.locator("input[name=comment]").fill("同意借阅")
    with page.expect_response(re.compile(r"/approvals/\d+/approve$")) as answer:
        row.get_by_role("button", name="同意").click()
    assert answer.value.status == 200
    expect(page.locator("tr.approval-row", has_text="已同意")).to_have_count(1)


def _read(page: Page, loan_url: str, archive_number: str) -> str:
    """The borrower opens the item from the loan's page; returns the viewer's URL."""
    sign_in(page, "ar_sales")
    expect(page.locator('[data-count="loans-running"]')).to_have_text("1")
    page.goto(loan_url)
    expect(page.locator("#loan-status")).to_have_attribute("data-status", "approved")
    expect(page.locator(".signatures .signer")).to_contain_text(MANAGER)
    assert _violations(page) == []
    page.get_by_role("link", name="查阅").click()
    expect(page.locator(f'[data-archive-number="{archive_number}"]')).to_be_visible()
    expect(page.locator("#viewer-notice")).to_contain_text(BORROWER)
    expect(page.locator("#loan-watermark span").first).to_contain_text(BORROWER)
    assert _violations(page) == []
    frame = page.locator("#loan-viewer iframe").get_attribute("src").split("#")[0]
    copy = page.request.get(frame)
    assert copy.status == 200 and copy.headers["x-frame-options"] == "SAMEORIGIN"
    assert BORROWER in pdf_text(copy.body())
    return page.url


def _id(url: str) -> int:
    return int(url.rsplit("/", 1)[1])


def test_borrow_approve_read_and_expire(page: Page, page_errors, live_server, filed):
    """Rule (002 篇七 1.5): the salesperson's loan of their department's contract waits for
    the sales manager, the 客服 user's for the GM alone; approved, the borrower reads it under
    their watermark until its due time, and not after."""
    team, item = filed
    loan_url = _request(page, "ar_sales", item.archive_number)
    expect(page.locator("#loan-waiting")).to_contain_text(MANAGER)
    _sign_out(page)
    _approve(page, item.archive_number)
    _sign_out(page)

    service_url = _request(page, "ar_cs", item.archive_number)
    expect(page.locator("#loan-waiting")).to_contain_text(GM)
    expect(page.locator("#loan-waiting")).not_to_contain_text(MANAGER)
    _sign_out(page)
    sign_in(page, "ar_mgr")
    page.goto("/approvals/")
    expect(page.locator("#todo-count [data-todo]")).to_have_count(0)
    expect(page.locator("tr.approval-row", has_text=item.archive_number)).to_have_count(0)
    _sign_out(page)

    viewer_url = _read(page, loan_url, item.archive_number)
    loan_id = _id(loan_url)
    with live_server.app.app_context():
        db.session.execute(update(ArchiveLoan).where(ArchiveLoan.id == loan_id)
                           .values(due_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
        assert db.session.scalar(select(ArchiveLoan.status).where(
            ArchiveLoan.id == loan_id)).value == "approved"
    refused = page.goto(viewer_url)
    assert refused is not None and refused.status == 403
    page.goto(loan_url)
    expect(page.locator("#loan-status")).to_have_attribute("data-status", "expired")
    expect(page.get_by_role("link", name="查阅")).to_have_count(0)
    # The GM decides the 客服 request, so no other test's GM finds it waiting.
    app = live_server.app
    sign_as(app, latest_request_id(app, _id(service_url), "ArchiveLoan"), team.gm)
    assert page_errors == []
