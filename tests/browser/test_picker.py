"""The pickers by keyboard alone. The customer picker (issue 10, requirement 7): typing pinyin
initials asks the server, ArrowDown highlights an option (aria-activedescendant), Enter chooses
it (the hidden input named as the field takes the id), Escape closes the list, and the form
saves with that customer. The audit trail's user picker filters the trail."""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Role, User
from app.services.core import audit
from tests.factories.customers import make_customer
from tests.factories.people import make_user
from tests.support import sign_in

pytestmark = pytest.mark.browser


def test_a_customer_is_chosen_by_keyboard_and_the_plan_saves(page, page_errors, live_server):
    owner = live_server.users["b_sales"]
    wanted = make_customer(live_server.app, owner, name="翰星科技键盘测试有限公司")
    make_customer(live_server.app, owner, name="翰星科技另一家有限公司")
    sign_in(page, "b_sales")
    page.goto("/sales/visits/plans/new")
    box = page.get_by_role("combobox", name="客户名称")
    expect(box).to_have_attribute("aria-expanded", "false")

    with page.expect_response(re.compile(r"/customers/pick\?")) as answer:
        box.press_sequentially("hxkjjp")  # 翰星科技键盘 by its initials
    assert answer.value.status == 200
    listbox = page.get_by_role("listbox")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option")).to_have_count(1)

    box.press("ArrowDown")
    option = listbox.get_by_role("option", name=re.compile("翰星科技键盘测试"))
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    box.press("Enter")  # chooses; does not submit the form
    expect(box).to_have_value(f"翰星科技键盘测试有限公司（{wanted.number}）")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator('input[type="hidden"][name="customer"]')).to_have_value(str(wanted.id))
    expect(page).to_have_url(re.compile(r"/sales/visits/plans/new$"))

    # Escape closes a list opened again; the choice stays.
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator('input[type="hidden"][name="customer"]')).to_have_value(str(wanted.id))

    box.press("Tab")  # leaves the field
    expect(box).not_to_be_focused()
    page.fill("#purpose", "键盘选择客户")
    page.click("#save-plan")
    expect(page).to_have_url(re.compile(r"/sales/visits/plans/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("翰星科技键盘测试有限公司")
    assert page_errors == []


def test_the_audit_trail_is_filtered_by_a_user_chosen_in_the_picker(page, page_errors,
                                                                    live_server):
    """The trail's user filter is the same picker: typing a username finds the user, Enter
    chooses them and the trail reloads with that user's events only."""
    app = live_server.app
    make_user(app, "b_pick_auditor", role=Role.AUDITOR, full_name="审计拣选")
    actor = make_user(app, "b_pick_actor", full_name="拣选操作人")
    with app.app_context():
        audit.record("pick_test", None, actor=db.session.get(User, actor.id),
                     changes={"note": "picked"})
        db.session.commit()
    sign_in(page, "b_pick_auditor")
    page.goto("/audit/")
    box = page.get_by_role("combobox", name="操作人")
    with page.expect_response(re.compile(r"/audit/actors\?")):
        box.press_sequentially("b_pick_ac")
    option = page.get_by_role("listbox").get_by_role("option", name=re.compile("拣选操作人"))
    expect(option).to_have_count(1)
    box.press("ArrowDown")
    with page.expect_response(re.compile(r"/audit/\?.*actor=\d+")):
        box.press("Enter")
    rows = page.locator("#audit-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("拣选操作人")
    expect(box).to_have_value("拣选操作人 (b_pick_actor)")
    assert page_errors == []
