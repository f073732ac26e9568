"""The sales ledger end to end, as its people use it: a salesperson plans a visit and reports
it, registers a contract and submits it for review, the sales manager signs it from the inbox,
and the salesperson records a payment and sees what the customer still owes go down."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from app.models import Level
from app.timeutil import local_today
from tests.factories.customers import make_customer
from tests.support import PASSWORD, sign_in

pytestmark = pytest.mark.browser

CUSTOMER = "澜沧星桥物流有限公司"
CONTRACT = "星桥仓储管理系统采购合同"
# 3 × ¥40,000 = ¥120,000: below the ¥500,000 from which the GM must approve as well.
QUANTITY, PRICE, TOTAL = "3", "40000", "¥120,000.00"
ADVANCE, ACCEPTANCE = "36000", "84000"  # the two payment terms, adding up to the total
PAID = "20000"  # received against the 预付款


def _advance_due(today: date) -> str:
    return (today + timedelta(days=30)).isoformat()


def _sign_out(page: Page) -> None:
    page.click("#user-menu")
    page.click("#logout-button")
    expect(page).to_have_url(re.compile(r"/login$"))


def _accept_confirms(page: Page) -> list[str]:
    """Accepts every confirmation dialog (Playwright would dismiss them); returns their texts."""
    asked: list[str] = []

    def on_dialog(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", on_dialog)
    return asked


def _open_section(page: Page, title: str) -> None:
    """Opens a section of 销售台账 from the navigation bar and the sections page."""
    page.get_by_role("link", name="销售台账", exact=True).click()
    heading = page.get_by_role("heading", name=title, exact=True)
    page.locator("#sales-sections").get_by_role("link").filter(has=heading).click()


def _plan_and_report_visit(page: Page, customer) -> None:
    _open_section(page, "客户拜访")
    expect(page).to_have_url(re.compile(r"/sales/visits/$"))
    page.click("#new-plan")

    expect(page.get_by_role("heading", name="新建拜访计划")).to_be_visible()
    with page.expect_response(re.compile(r"/customers/pick\?")) as options:
        page.get_by_role("combobox", name="客户名称").press_sequentially("星桥")
    assert options.value.status == 200
    page.get_by_role("option", name=re.compile(CUSTOMER)).click()
    expect(page.locator('input[name="customer"]')).to_have_value(str(customer.id))
    page.fill("#expected_time", "14:00–15:30")
    page.fill("#purpose", "介绍仓储管理系统方案")
    page.fill("#contact_name", "王经理")
    page.click("#save-plan")

    expect(page).to_have_url(re.compile(r"/sales/visits/plans/\d+$"))
    plan_url = page.url
    expect(page.locator("#alerts")).to_contain_text("拜访计划已保存。")
    expect(page.get_by_role("heading", level=1)).to_contain_text(CUSTOMER)
    expect(page.locator("#plan-status")).to_contain_text("计划中")

    page.click("#report-plan")
    expect(page.get_by_role("heading", name="登记拜访报告")).to_be_visible()
    expect(page.locator("#fulfils-plan")).to_contain_text("介绍仓储管理系统方案")
    expect(page.locator("#customer-fixed")).to_contain_text(CUSTOMER)
    expect(page.locator("#contact_met")).to_have_value("王经理")  # taken from the plan
    page.fill("#content", "演示了仓储管理系统，客户关注库位管理与对账功能。")
    page.select_option("#interest", "high")
    page.fill("#next_topic", "报价与合同条款")
    page.click("#save-report")

    expect(page).to_have_url(re.compile(r"/sales/visits/reports/\d+$"))
    expect(page.locator("#alerts")).to_contain_text("拜访报告已保存。")
    expect(page.locator("#report-sheet")).to_contain_text("演示了仓储管理系统")
    page.click("#report-plan-link")
    expect(page).to_have_url(plan_url)
    expect(page.locator("#plan-status")).to_contain_text("已拜访")
    expect(page.locator("#report-plan")).to_have_count(0)  # a done plan takes no second report


def _register_and_submit_contract(page: Page, customer, today: date) -> str:
    """Registers the contract as a draft, submits it; returns its page's URL."""
    _open_section(page, "销售合同")
    page.click("#new-contract")

    expect(page.get_by_role("heading", name="登记销售合同")).to_be_visible()
    page.fill("#name", CONTRACT)
    # Choosing the customer refreshes its owner line and lifts the level to the customer's
    # (内部, as made by the factory), out of band.
    page.locator("#customer_id").press_sequentially("lcxq")  # 澜沧星桥 by its initials
    page.get_by_role("option", name=re.compile(CUSTOMER)).click()
    expect(page.locator("#contract-owner")).to_contain_text("钱浩")
    expect(page.locator("#confidentiality")).to_have_value(str(int(Level.INTERNAL)))
    page.fill("#sign_date", today.isoformat())

    page.get_by_label("第 1 行产品名称").fill("仓储管理系统")
    page.get_by_label("第 1 行规格型号").fill("WMS-3 企业版")
    page.get_by_label("第 1 行单位").fill("套")
    page.get_by_label("第 1 行数量").fill(QUANTITY)
    page.get_by_label("第 1 行单价（元）").fill(PRICE)
    page.get_by_label("第 1 行单价（元）").blur()  # the change event computes the amounts
    expect(page.locator("#contract-total")).to_have_text(TOTAL)

    # A new contract comes with one 预付款 term; 添加付款条款 offers the next kind, 验收款.
    expect(page.get_by_label("第 1 项付款方式")).to_have_value("advance")
    page.get_by_label("第 1 项到期日期").fill(_advance_due(today))
    page.get_by_label("第 1 项金额（元）").fill(ADVANCE)
    page.get_by_role("button", name="添加付款条款").click()
    expect(page.locator("tr.contract-term")).to_have_count(2)
    expect(page.get_by_label("第 1 项金额（元）")).to_have_value(ADVANCE)  # kept by the swap
    expect(page.get_by_label("第 2 项付款方式")).to_have_value("acceptance")
    page.get_by_label("第 2 项到期日期").fill((today + timedelta(days=90)).isoformat())
    page.get_by_label("第 2 项金额（元）").fill(ACCEPTANCE)
    page.get_by_label("第 2 项金额（元）").blur()
    expect(page.locator("#terms-gap")).to_have_text("与合同金额一致")
    page.click("#save-contract")

    expect(page).to_have_url(re.compile(r"/sales/contracts/\d+$"))
    contract_url = page.url
    expect(page.locator("#alerts")).to_contain_text("已登记为草稿")
    expect(page.locator("#contract-status")).to_have_text("草稿")
    expect(page.locator("#contract-lines #contract-total")).to_have_text(TOTAL)
    expect(page.locator("#contract-terms tbody tr")).to_have_count(2)

    asked = _accept_confirms(page)
    # The page came by a boosted swap: a click before htmx has taken over the new form posts
    # it plainly, without its hx-confirm (seen once on a loaded machine).
    page.wait_for_load_state("networkidle")
    page.click("#submit-contract")
    expect(page.locator("#contract-status")).to_have_text("评审中")
    assert asked == ["提交后合同将冻结，评审期间不能修改。确定提交评审吗？"]
    expect(page.locator("#alerts")).to_contain_text("合同已提交评审")
    expect(page.locator("#edit-contract")).to_have_count(0)  # frozen while under review
    return contract_url


def _manager_approves(page: Page, contract_url: str) -> None:
    sign_in(page, "b_mgr")
    page.get_by_role("link", name=re.compile("我的待办")).click()
    row = page.locator("tr.approval-row", has_text=CONTRACT)
    expect(row).to_contain_text("合同评审")
    row.get_by_role("link", name="查看内容").click()  # the content first, then the form
    expect(row.locator("input[name=password]")).to_be_visible()
    row.get_by_label("登录密码").fill(PASSWORD)
    row.get_by_label("审批意见").fill("价格与付款条款合理，同意")
    with page.expect_response(re.compile(r"/approvals/\d+/approve$")) as answer:
        row.get_by_role("button", name="同意").click()
    assert answer.value.status == 200
    expect(page.locator("tr.approval-row", has_text=CONTRACT)).to_contain_text("已同意")
    assert page.url.endswith("/approvals/")  # signed inline, no navigation

    page.goto(contract_url)
    # Below the GM threshold the manager's signature is the last: the contract is in force.
    expect(page.locator("#contract-status")).to_have_text("已生效")
    expect(page.locator("#signature-valid")).to_be_visible()
    expect(page.locator("#review-panel .pending-request")).to_have_count(0)
    expect(page.locator("#review-panel")).to_contain_text("孔敏")


def _record_payment(page: Page, contract_url: str, today: date) -> None:
    page.goto(contract_url)
    summary = page.locator("#payment-summary")
    expect(summary.locator("#summary-outstanding")).to_have_text(TOTAL)
    summary.get_by_role("link", name=re.compile("回款记录")).click()

    expect(page).to_have_url(re.compile(r"/sales/contracts/\d+/payments$"))
    expect(page.locator("#no-payments")).to_be_visible()
    expect(page.locator("#summary-paid")).to_have_text("¥0.00")
    expect(page.locator("#summary-outstanding")).to_have_text(TOTAL)
    # The term's option says what it still owes.
    page.select_option("#term", label=f"预付款（到期 {_advance_due(today)}，未收 ¥36,000.00）")
    expect(page.locator("#paid_on")).to_have_value(today.isoformat())
    page.fill("#amount", PAID)
    page.fill("#reference", "HX20260315001")
    page.click("#record-payment")

    expect(page.locator("#alerts")).to_contain_text("已登记回款 ¥20,000.00。")
    expect(page.locator("#payment-history tbody tr")).to_have_count(1)
    expect(page.locator("#payment-history")).to_contain_text("HX20260315001")
    expect(page.locator("#summary-paid")).to_have_text("¥20,000.00")
    expect(page.locator("#summary-outstanding")).to_have_text("¥100,000.00")
    advance = page.locator("#payment-summary tbody tr", has_text="预付款")
    expect(advance.locator("[data-outstanding]")).to_have_text("¥16,000.00")
    acceptance = page.locator("#payment-summary tbody tr", has_text="验收款")
    expect(acceptance.locator("[data-outstanding]")).to_have_text("¥84,000.00")

    page.goto(contract_url)  # the contract's own page shows the same balance
    expect(page.locator("#payment-summary #summary-outstanding")).to_have_text("¥100,000.00")


def test_visit_contract_review_and_payment(page: Page, page_errors, live_server):
    """A salesperson plans a visit to their customer and reports it (the plan becomes 已拜访),
    registers a ¥120,000 contract with a product line and two payment terms and submits it
    (评审中, frozen); the sales manager signs it inline in 我的待办 with their password and,
    being under the ¥500,000 GM threshold, it is then 已生效 with a valid signature; the
    salesperson records a ¥20,000 payment against the 预付款 and the contract's outstanding
    amount (未收) goes from ¥120,000.00 to ¥100,000.00, that term's from ¥36,000.00 to ¥16,000.00.
    """
    customer = make_customer(live_server.app, live_server.users["b_sales"], name=CUSTOMER,
                             contact_name="王经理")

    with live_server.app.app_context():
        today = local_today()  # the company's day, as the server sees it

    sign_in(page, "b_sales")
    _plan_and_report_visit(page, customer)
    contract_url = _register_and_submit_contract(page, customer, today)
    _sign_out(page)

    _manager_approves(page, contract_url)
    _sign_out(page)

    sign_in(page, "b_sales")
    _record_payment(page, contract_url, today)
    assert page_errors == []
