"""Administrators change who approves what at /admin/flows/, without code; nobody else can."""

import json
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    ApprovalFlow,
    ApprovalRequest,
    AuditEvent,
    Customer,
    Department,
    DeptCode,
    Level,
    Role,
    User,
)
from app.services.approvals import engine as approvals
from app.services.approvals import flows
from app.services.approvals.steps import frozen_steps
from tests.factories.customers import make_customer
from tests.factories.people import make_people, make_user

REVIEW = {"name": "部门经理审核", "rule": "record_dept_manager", "role": "", "department_id": "",
          "mode": "any", "meaning": "review"}
GM_APPROVAL = {**REVIEW, "name": "总经理批准", "rule": "gm", "meaning": "approval"}
BY_ROLE = {**REVIEW, "name": "风控专员会签", "rule": "role_in_dept", "role": "staff",
           "department_id": DeptCode.RISK, "mode": "all", "meaning": "countersign"}
AMOUNT_FIELDS = {"amount": "合同金额"}


@pytest.fixture
def people(client, app):
    users = make_people(app, "admin", "sales1", "sales_mgr", "gm", cleared=Level.INTERNAL,
                        gm={"full_name": "王建国"})
    client.login("admin")
    return users


def flow_id(app, kind: str = "customer.review") -> int:
    with app.app_context():
        return db.session.scalar(select(ApprovalFlow.id).where(ApprovalFlow.kind == kind))


def saved_steps(app, kind: str = "customer.review") -> list[tuple]:
    with app.app_context():
        flow = db.session.get(ApprovalFlow, flow_id(app, kind))
        return [(s.position, s.name, s.rule.value, s.meaning.value, s.threshold)
                for s in flow.steps]


def posted(app, *steps, op: str = "save", indices=None) -> dict:
    """Form data for the given step rows (a DeptCode stands for that department's id)."""
    with app.app_context():
        ids = {d.code: str(d.id) for d in db.session.scalars(select(Department))}
    data = {"op": op}
    for index, step in zip(indices or range(len(steps)), steps, strict=True):
        for field, value in step.items():
            data[f"steps-{index}-{field}"] = ids[value] if isinstance(value, DeptCode) else value
    return data


def edit(client, app, *steps, **kwargs):
    url = f"/admin/flows/{flow_id(app)}/edit"
    return client.post_form(url, posted(app, *steps, **kwargs), token_from=url)


def submit_review(app, owner: User) -> int:
    customer = make_customer(app, owner)
    with app.app_context():
        request = approvals.submit("customer.review", db.session.get(Customer, customer.id),
                                   db.session.get(User, owner.id))
        db.session.commit()
        return request.id


def frozen_count(app, request_id: int) -> int:
    with app.app_context():
        return len(frozen_steps(db.session.get(ApprovalRequest, request_id)))


def test_an_edited_flow_applies_to_new_submissions_but_not_to_running_ones(client, app, people):
    before = submit_review(app, people["sales1"])
    response = edit(client, app, REVIEW, GM_APPROVAL)
    assert response.status_code == 303 and response.headers["Location"] == "/admin/flows/"
    assert "审批流程已保存，新提交的审批按新流程执行。" in client.get("/admin/flows/").get_data(
        as_text=True)
    after = submit_review(app, people["sales1"])
    assert frozen_count(app, before) == 1
    assert frozen_count(app, after) == 2
    with app.app_context():
        last = frozen_steps(db.session.get(ApprovalRequest, after))[-1]
        assert (last.position, last.rule, last.meaning) == (2, "gm", "approval")


def test_every_change_is_audited_with_the_old_and_new_steps(client, app, people):
    edit(client, app, REVIEW, GM_APPROVAL)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).filter_by(action="flow_updated")).one()
        old, new = json.loads(event.changes)["steps"]
        assert event.object_type == "ApprovalFlow" and event.actor_id == people["admin"].id
        assert [s["name"] for s in old] == ["部门经理审核"]
        assert [(s["position"], s["rule"]) for s in new] == [(1, "record_dept_manager"),
                                                               (2, "gm")]


@pytest.mark.parametrize("steps, message", [
    ((), "审批流程至少需要一个步骤。"),
    (({**BY_ROLE, "department_id": ""},), "「指定部门的指定角色」须选择部门。"),
    (({**BY_ROLE, "role": ""},), "「指定部门的指定角色」须选择角色。"),
    ((BY_ROLE,), "风险管理部没有在职的专员，此步骤无人可签。"),
    (({**REVIEW, "name": ""},), "请填写步骤名称。"),
])
def test_a_flow_nobody_could_complete_is_refused(client, app, people, steps, message):
    make_user(app, "risk_left", dept=DeptCode.RISK, active=False)  # inactive: cannot sign
    response = edit(client, app, *steps)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert saved_steps(app) == [(1, "部门经理审核", "record_dept_manager", "review", None)]
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="flow_updated").count() == 0


@pytest.mark.parametrize("condition, field_message", [
    ({"condition_field": "amount", "threshold": ""}, "选择了条件字段时须填写金额阈值。"),
    ({"condition_field": "amount", "threshold": "-1"}, "金额阈值不能为负数。"),
    ({"condition_field": "amount", "threshold": "1.234"}, "金额阈值须为数字，最多两位小数。"),
    ({"condition_field": "", "threshold": "5000"}, "填写了金额阈值时须选择条件字段。"),
])
def test_a_condition_needs_a_declared_field_and_a_threshold_of_at_least_zero(
        client, app, people, monkeypatch, condition, field_message):
    monkeypatch.setitem(flows.CONDITION_FIELDS, "customer.review", AMOUNT_FIELDS)
    response = edit(client, app, REVIEW, {**GM_APPROVAL, **condition})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and field_message in html
    assert f'value="{condition["threshold"]}"' in html  # what was typed is kept
    assert len(saved_steps(app)) == 1


def test_a_threshold_is_stored_as_exact_cents(client, app, people, monkeypatch):
    monkeypatch.setitem(flows.CONDITION_FIELDS, "customer.review", AMOUNT_FIELDS)
    assert edit(client, app, REVIEW, {**GM_APPROVAL, "condition_field": "amount",
                                      "threshold": "1000000.5"}).status_code == 303
    assert saved_steps(app)[1] == (2, "总经理批准", "gm", "approval", Decimal("1000000.50"))


def test_the_form_offers_only_the_condition_fields_the_record_kind_declares(
        client, app, people, monkeypatch):
    url = f"/admin/flows/{flow_id(app)}/edit"
    html = client.get(url).get_data(as_text=True)
    assert "steps-0-condition_field" not in html and "没有可作条件的数值字段" in html
    monkeypatch.setitem(flows.CONDITION_FIELDS, "customer.review", AMOUNT_FIELDS)
    html = client.get(url).get_data(as_text=True)
    assert '<option value="amount">合同金额</option>' in html


def test_steps_are_numbered_in_the_order_given(client, app, people):
    assert edit(client, app, GM_APPROVAL, REVIEW, indices=(7, 3)).status_code == 303
    assert [s[:2] for s in saved_steps(app)] == [(1, "部门经理审核"), (2, "总经理批准")]


@pytest.mark.parametrize("op, names", [
    ("add", ["部门经理审核", "总经理批准", ""]),
    ("remove-0", ["总经理批准"]),
    ("up-1", ["总经理批准", "部门经理审核"]),
    ("down-0", ["总经理批准", "部门经理审核"]),
    ("refresh", ["部门经理审核", "总经理批准"]),
])
def test_row_buttons_rearrange_the_form_and_save_nothing(client, app, people, op, names):
    response = edit(client, app, REVIEW, GM_APPROVAL, op=op)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.findall(r'<input [^>]*name="steps-\d+-name"[^>]*value="([^"]*)"', html) == names
    assert len(saved_steps(app)) == 1


def test_htmx_gets_the_form_alone_and_the_save_redirects_the_page(client, app, people):
    url = f"/admin/flows/{flow_id(app)}/edit"
    data = {**posted(app, REVIEW, op="add"), "csrf_token": client.csrf_token(url)}
    response = client.htmx("POST", url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<form id="flow-form"')
    data = {**posted(app, REVIEW, GM_APPROVAL), "csrf_token": client.csrf_token(url)}
    response = client.htmx("POST", url, data=data)
    assert response.headers["HX-Redirect"] == "/admin/flows/"


def test_the_page_says_who_would_sign_today_and_that_running_requests_keep_their_steps(
        client, app, people):
    edit(client, app, REVIEW, GM_APPROVAL)
    html = client.get(f"/admin/flows/{flow_id(app)}/edit").get_data(as_text=True)
    assert "按记录所属部门" in html and "王建国" in html
    assert "已在审批中的记录按提交时冻结的步骤继续" in html
    listing = client.get("/admin/flows/").get_data(as_text=True)
    assert "客户档案审核" in listing and "客户资料变更" in listing and "总经理批准" in listing


def test_administrators_find_the_flows_in_the_navigation(client, app, people):
    assert 'href="/admin/flows/"' in client.get("/").get_data(as_text=True)
    assert client.get("/admin/flows/999/edit").status_code == 404


@pytest.mark.parametrize("role, dept", [(Role.STAFF, DeptCode.SALES),
                                        (Role.MANAGER, DeptCode.SALES),
                                        (Role.GM, DeptCode.MANAGEMENT),
                                        (Role.AUDITOR, DeptCode.MANAGEMENT)])
def test_only_administrators_may_see_or_change_flows(client, app, role, dept):
    make_user(app, "someone", role=role, dept=dept)
    client.login("someone")
    url = f"/admin/flows/{flow_id(app)}/edit"
    assert client.get("/admin/flows/").status_code == 403
    assert client.get(url).status_code == 403
    assert client.post_form(url, posted(app, GM_APPROVAL)).status_code == 403
    assert 'href="/admin/flows/"' not in client.get("/").get_data(as_text=True)
    assert len(saved_steps(app)) == 1
