"""Batch signing as a manager does it: expand three waiting items in 我的待办 (each shows what is
signed), tick them, enter the password once; all three are signed, one signature each."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import ApprovalRequest, Customer, RequestStatus, User
from app.services.approvals import engine as approvals
from app.services.customers.review import REVIEW_FLOW
from tests.factories.customers import make_customer
from tests.support import PASSWORD, sign_in

pytestmark = pytest.mark.browser

NAMES = ("批签甲贸易有限公司", "批签乙贸易有限公司", "批签丙贸易有限公司")


def _submitted(live_server) -> list[int]:
    """Three drafts of the salesperson, submitted to the manager's review."""
    app = live_server.app
    customers = [make_customer(app, live_server.users["b_sales"], name=n) for n in NAMES]
    with app.app_context():
        submitter = db.session.get(User, live_server.users["b_sales"].id)
        ids = [approvals.submit(REVIEW_FLOW, db.session.get(Customer, c.id), submitter).id
               for c in customers]
        db.session.commit()
    return ids


def test_three_items_expanded_ticked_and_signed_with_one_password(page: Page, page_errors,
                                                                  live_server):
    """The tick appears only once a row shows its content; one password signs the three."""
    ids = _submitted(live_server)
    sign_in(page, "b_mgr")
    page.goto("/approvals/")
    for name in NAMES:
        row = page.locator("tr.approval-row", has_text=name)
        expect(row.locator("input.batch-pick")).to_have_count(0)
        row.get_by_role("link", name="查看内容").click()
        expect(page.locator("tbody.approval-item", has_text=name)
               .locator("section.approval-card")).to_contain_text(name)
        row.locator("input.batch-pick").check()
    batch = page.locator("#batch-form")
    batch.get_by_label("批量签字的登录密码").fill(PASSWORD)
    batch.get_by_role("button", name="批量同意所选").click()
    expect(page.get_by_text(re.compile("已批量同意 3 项"))).to_be_visible()
    for name in NAMES:
        expect(page.locator("tr.approval-row", has_text=name)).to_have_count(0)

    with live_server.app.app_context():
        requests = db.session.scalars(select(ApprovalRequest).where(
            ApprovalRequest.id.in_(ids))).all()
        assert {r.status for r in requests} == {RequestStatus.APPROVED}
        assert all(len(r.signatures) == 1 and r.signatures[0].content_hash == r.content_hash
                   for r in requests)
        assert len({r.content_hash for r in requests}) == 3
    assert page_errors == []
