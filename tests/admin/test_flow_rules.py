"""The flow-editing rules in app/services/flows.py, called without a request."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    ApprovalFlow,
    ApproverRule,
    AuditEvent,
    Department,
    DeptCode,
    Meaning,
    Role,
    StepMode,
    User,
)
from app.services.approvals import flows
from tests.factories.people import make_user


def review_flow() -> ApprovalFlow:
    return db.session.scalar(select(ApprovalFlow).where(ApprovalFlow.kind == "customer.review"))


def dept(code: DeptCode) -> int:
    return db.session.scalar(select(Department.id).where(Department.code == code))


def step(rule: ApproverRule, **fields) -> flows.StepData:
    values = {"name": "审核", "rule": rule, "mode": StepMode.ANY, "meaning": Meaning.REVIEW}
    return flows.StepData(**{**values, **fields})


def messages(steps) -> list[str]:
    return [p.message for p in flows.problems(review_flow(), steps)]


@pytest.fixture
def admin(app):
    return make_user(app, "admin", role=Role.ADMIN, dept=DeptCode.IT)


def test_manager_rules_need_an_active_manager_somewhere_in_the_company(app, app_ctx):
    nobody = "系统中没有在职的部门经理，此步骤无人可签。"
    for rule in (ApproverRule.RECORD_DEPT_MANAGER, ApproverRule.SUBMITTER_DEPT_MANAGER):
        assert messages([step(rule)]) == [nobody]
    make_user(app, "cs_mgr_left", role=Role.MANAGER, dept=DeptCode.SERVICE, active=False)
    assert messages([step(ApproverRule.RECORD_DEPT_MANAGER)]) == [nobody]
    make_user(app, "cs_mgr", role=Role.MANAGER, dept=DeptCode.SERVICE)
    assert messages([step(ApproverRule.SUBMITTER_DEPT_MANAGER)]) == []


def test_the_gm_rule_needs_an_active_gm(app, app_ctx):
    assert messages([step(ApproverRule.GM)]) == ["系统中没有在职的总经理，此步骤无人可签。"]
    make_user(app, "gm", role=Role.GM, dept=DeptCode.MANAGEMENT)
    assert messages([step(ApproverRule.GM)]) == []


def test_roles_that_cannot_open_an_approval_request_cannot_sign_one(app, app_ctx, admin):
    by_admins = step(ApproverRule.ROLE_IN_DEPT, role=Role.ADMIN, department_id=dept(DeptCode.IT))
    assert messages([by_admins]) == ["该角色不能审批业务记录。"]


def test_a_condition_field_must_be_one_the_record_kind_declares(app, app_ctx):
    make_user(app, "gm", role=Role.GM, dept=DeptCode.MANAGEMENT)
    conditioned = step(ApproverRule.GM, condition_field="amount", threshold=Decimal("100"))
    assert flows.condition_fields("customer.review") == {}
    assert messages([conditioned]) == ["该流程的记录没有此条件字段。"]


@pytest.mark.parametrize("threshold, message", [
    (Decimal("NaN"), "金额阈值须为数字。"),
    (Decimal("-0.01"), "金额阈值不能为负数。"),
    (Decimal("1e14"), "金额阈值过大。"),
    (Decimal("0.001"), "金额阈值最多两位小数。"),
    (Decimal("0"), None),
])
def test_thresholds_are_non_negative_amounts_in_cents(app, app_ctx, monkeypatch, threshold,
                                                      message):
    monkeypatch.setitem(flows.CONDITION_FIELDS, "customer.review", {"amount": "合同金额"})
    make_user(app, "gm", role=Role.GM, dept=DeptCode.MANAGEMENT)
    conditioned = step(ApproverRule.GM, condition_field="amount", threshold=threshold)
    assert messages([conditioned]) == ([message] if message else [])


def test_role_and_department_are_kept_only_for_the_role_rule(app, app_ctx, admin):
    make_user(app, "gm", role=Role.GM, dept=DeptCode.MANAGEMENT)
    make_user(app, "risk1", dept=DeptCode.RISK)
    risk = dept(DeptCode.RISK)
    actor = db.session.get(User, admin.id)
    assert flows.save_steps(review_flow(), [
        step(ApproverRule.GM, role=Role.STAFF, department_id=risk),
        step(ApproverRule.ROLE_IN_DEPT, role=Role.STAFF, department_id=risk)], actor) == []
    db.session.commit()
    saved = [(s.position, s.role, s.department_id) for s in review_flow().steps]
    assert saved == [(1, None, None), (2, Role.STAFF, risk)]


def test_saving_the_same_steps_again_changes_and_audits_nothing(app, app_ctx, admin):
    make_user(app, "sales_mgr", role=Role.MANAGER)
    actor = db.session.get(User, admin.id)
    flow = review_flow()
    ids = [s.id for s in flow.steps]
    same = step(ApproverRule.RECORD_DEPT_MANAGER, name="部门经理审核")
    assert flows.save_steps(flow, [same], actor) == []
    db.session.commit()
    assert [s.id for s in review_flow().steps] == ids
    assert db.session.query(AuditEvent).filter_by(action="flow_updated").count() == 0


def test_who_signs_names_up_to_five_people_and_counts_the_rest(app, app_ctx):
    for n in range(7):
        make_user(app, f"risk{n}", dept=DeptCode.RISK, full_name=f"风控{n}")
    by_role = step(ApproverRule.ROLE_IN_DEPT, role=Role.STAFF, department_id=dept(DeptCode.RISK))
    assert flows.who_signs(by_role) == "风控0、风控1、风控2、风控3、风控4 等 7 人"
    assert flows.who_signs(step(ApproverRule.GM)) == "（无人）"
    assert flows.who_signs(step(ApproverRule.SUBMITTER_DEPT_MANAGER)) == "按提交人部门"
