"""Sign what you see, for an account grant (账户授权): the approval card names the account and
who asked by name and employee number, and shows the rights asked as old → new rows with the
grant page's labels (role, department, clearance as their labels, never codes); the inbox row
shows the account and each right asked."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Department, DeptCode, Level, Role
from tests.factories.cards import card_of_page, change, field, figures_of, render_card
from tests.factories.grants import edit_as, grant_request_id
from tests.factories.people import make_people

RAW_KEYS = ("user_id", "requested_by_id", "department_id", "clearance", ">manager<", ">3<")


@pytest.fixture
def people(app):
    """An administrator, the GM (赵总, G0001) and a salesperson (李晓明, S1001)."""
    return make_people(app, "admin", "gm", "sales1", named=("gm", "sales1"))


def test_the_grant_card_shows_the_account_and_the_rights_asked(app, client, people):
    """Rule: 账户 and 申请人 by name and employee number; 角色 专员 → 部门经理 and 涉密级别
    内部 → 秘密 as labels; no raw snapshot key or code."""
    edit_as(app, people["admin"], people["sales1"], role=Role.MANAGER, clearance=Level.SECRET)
    request_id = grant_request_id(app, people["sales1"])
    client.login("gm")
    card = card_of_page(client.get(f"/approvals/{request_id}").get_data(as_text=True))
    assert field(card, "账户") == "李晓明（S1001）" and field(card, "用户名") == "sales1"
    admin = people["admin"]
    assert field(card, "申请人") == f"{admin.full_name}（{admin.employee_no}）"
    assert change(card, "角色") == ("专员", "部门经理")
    assert change(card, "涉密级别") == ("内部", "秘密")
    assert not any(key in card for key in RAW_KEYS)


def test_the_inbox_row_shows_the_account_and_the_rights_asked(app, client, people):
    """Rule: the GM's waiting row names the account and the rights asked before opening it."""
    edit_as(app, people["admin"], people["sales1"], clearance=Level.SECRET)
    request_id = grant_request_id(app, people["sales1"])
    client.login("gm")
    html = client.get("/approvals/").get_data(as_text=True)
    row = re.search(rf'<tbody id="request-{request_id}".*?</tbody>', html, re.S).group(0)
    assert "李晓明（S1001）" in row and "涉密级别：</span>内部 → 秘密" in row


def test_a_department_reactivation_and_password_read_as_labels(app, people):
    """Rule: a department change shows the departments' names, a reactivation 已停用 → 启用,
    a password reset that a temporary password is set (never the password)."""
    with app.app_context():
        ids = dict(db.session.execute(select(Department.code, Department.id)).all())
    snapshot = {"record": "AccountGrant", "id": 5, "grant": 5, "user_id": people["sales1"].id,
                "requested_by_id": people["admin"].id,
                "department_id": [ids[DeptCode.SALES], ids[DeptCode.RISK]],
                "active": [False, True], "password": "changed"}
    card = render_card(app, "AccountGrant", snapshot)
    assert change(card, "部门") == ("销售部", "风险管理部")
    assert change(card, "账户状态") == ("已停用", "启用")
    assert change(card, "密码") == ("", "设置临时密码（下次登录须修改）")
    assert "changed" not in card
    assert figures_of(app, "AccountGrant", [snapshot]) == [[
        ("账户", "李晓明（S1001）"), ("部门", "销售部 → 风险管理部"), ("账户状态", "已停用 → 启用"),
        ("密码", "设置临时密码（下次登录须修改）")]]
