"""In a real browser: pages keep their look under a CSP that allows no inline style (sizes come
from the stylesheet), and "log out everywhere" on the account page ends another browser's
session too."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.support import sign_in

pytestmark = pytest.mark.browser


def _width(page: Page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().width")


def _em(page: Page, selector: str) -> float:
    return page.locator(selector).first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")


def test_pages_keep_their_sizes_under_a_csp_without_inline_styles(page: Page, page_errors,
                                                                  live_server):
    """A refused inline style would be a console error; the sizes that were inline are there."""
    sign_in(page, "b_sales")
    page.goto("/sales/visits/grid")
    assert _width(page, "#year") == pytest.approx(7 * _em(page, "#year"), abs=1)
    page.goto("/sales/visits/week")
    header = "table thead th:first-child"
    assert _width(page, header) == pytest.approx(8 * _em(page, header), abs=1)
    page.goto("/customers/")
    page.evaluate("""() => {
        const bar = document.createElement('div');
        bar.className = 'progress progress-lg';
        bar.id = 'probe';
        bar.innerHTML = '<div class="progress-bar" data-pct="37"></div>';
        document.querySelector('main').append(bar);
    }""")
    assert _width(page, "#probe .progress-bar") == pytest.approx(0.37 * _width(page, "#probe"),
                                                                 abs=1)
    assert page.locator("#probe").evaluate("e => e.getBoundingClientRect().height") == 20
    page.goto("/account")
    expect(page.locator("#sessions")).to_contain_text("当前会话")
    assert page_errors == []


def test_log_out_everywhere_ends_the_other_browsers_session(page: Page, browser, live_server):
    other = browser.new_context(base_url=live_server.url, locale="zh-CN")
    try:
        elsewhere = other.new_page()
        sign_in(elsewhere, "b_mgr")
        sign_in(page, "b_mgr")
        page.goto("/account")  # the live server's earlier tests may have left b_mgr sessions
        assert page.locator("#sessions tbody tr").count() >= 2
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#end-all-sessions")
        expect(page.locator("#alerts")).to_contain_text(re.compile(r"已退出全部 \d+ 个会话"))
        elsewhere.goto("/customers/")
        expect(elsewhere.locator("#alerts")).to_contain_text("您的登录已结束")
        expect(elsewhere.locator("#username")).to_be_visible()
    finally:
        other.close()
