"""合同评审 through the approval engine: submitting freezes a draft; the sales manager reviews and,
from the flow's amount threshold (¥500,000 by default, editable by admins, for new submissions
only), the GM approves; approval makes the contract 已生效 as signed version 1; rejection returns
it to draft with the comment; the 销售合同评审表 PDF carries the values and the signers."""

import json

from sqlalchemy import select

from app.extensions import db
from app.models import (
    ApprovalRequest,
    AuditEvent,
    Contract,
    ContractStatus,
    Decision,
    DeptCode,
    RecordVersion,
    RequestStatus,
    Role,
)
from tests.factories.approvals import sign_as
from tests.factories.people import make_user
from tests.factories.sales import approved, load, make_contract, submit
from tests.support import pdf_text


def _steps(app, request_id: int) -> list[str]:
    with app.app_context():
        request = db.session.get(ApprovalRequest, request_id)
        return [step["name"] for step in json.loads(request.steps_json)]


def _big(app, team, amount: str):
    return make_contract(app, by=team.staff, lines=[("生产线", "", "套", "1", amount)],
                         terms=[("advance", amount, "2026-03-01")])


def _latest_request(app, contract) -> int:
    with app.app_context():
        return db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.record_type == "Contract", ApprovalRequest.record_id == contract.id)
            .order_by(ApprovalRequest.id.desc()))


def test_submitting_freezes_the_draft_and_starts_the_review(client, app, team):
    contract = make_contract(app, by=team.staff)
    client.login("sales1")
    html = client.get(f"/sales/contracts/{contract.id}").get_data(as_text=True)
    assert 'id="submit-contract"' in html and 'id="edit-contract"' in html
    response = client.post_form(f"/sales/contracts/{contract.id}/submit", {})
    assert response.status_code == 303
    html = client.get(f"/sales/contracts/{contract.id}").get_data(as_text=True)
    assert "评审中" in html and 'id="edit-contract"' not in html
    assert 'id="submit-contract"' not in html
    assert load(app, contract.id).status == ContractStatus.SUBMITTED
    assert _steps(app, _latest_request(app, contract)) == ["销售经理审核"]


def test_just_below_the_threshold_the_sales_manager_alone_approves(app, team):
    contract = _big(app, team, "499999.99")
    request_id = submit(app, contract, team.staff)
    assert _steps(app, request_id) == ["销售经理审核"]
    sign_as(app, request_id, team.manager)
    assert load(app, contract.id).status == ContractStatus.ACTIVE


def test_from_the_threshold_the_gm_approves_after_the_manager(app, team):
    contract = _big(app, team, "500000.00")
    request_id = submit(app, contract, team.staff)
    assert _steps(app, request_id) == ["销售经理审核", "总经理批准"]
    sign_as(app, request_id, team.manager)
    assert load(app, contract.id).status == ContractStatus.SUBMITTED  # still waits for the GM
    sign_as(app, request_id, team.gm)
    assert load(app, contract.id).status == ContractStatus.ACTIVE
    with app.app_context():
        meanings = [s.meaning.value for s in db.session.get(ApprovalRequest, request_id).signatures]
    assert meanings == ["review", "approval"]


def _set_threshold(client, app, threshold: str):
    make_user(app, "admin", role=Role.ADMIN, dept=DeptCode.IT)
    client.login("admin")
    steps = {"steps-0-name": "销售经理审核", "steps-0-rule": "record_dept_manager",
             "steps-0-mode": "any", "steps-0-meaning": "review", "steps-0-condition_field": "",
             "steps-0-threshold": "", "steps-1-name": "总经理批准", "steps-1-rule": "gm",
             "steps-1-mode": "any", "steps-1-meaning": "approval",
             "steps-1-condition_field": "amount", "steps-1-threshold": threshold, "op": "save"}
    response = client.post_form("/admin/flows/3/edit", steps)
    assert response.status_code == 303, response.get_data(as_text=True)


def test_editing_the_threshold_changes_new_submissions_only(client, app, team):
    waiting = _big(app, team, "400000.00")
    earlier = submit(app, waiting, team.staff)
    _set_threshold(client, app, "300000")
    assert "合同金额" in client.get("/admin/flows/").get_data(as_text=True)
    later = submit(app, _big(app, team, "400000.00"), team.staff)
    assert _steps(app, earlier) == ["销售经理审核"]  # frozen when it was submitted
    assert _steps(app, later) == ["销售经理审核", "总经理批准"]
    assert _steps(app, submit(app, _big(app, team, "299999.99"), team.staff)) == ["销售经理审核"]


def test_approval_makes_it_active_as_signed_version_one(client, app, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    assert contract.status == ContractStatus.ACTIVE
    with app.app_context():
        versions = db.session.scalars(select(RecordVersion).where(
            RecordVersion.record_type == "Contract", RecordVersion.record_id == contract.id)).all()
        assert [v.number for v in versions] == [1]
        snapshot = json.loads(versions[0].snapshot)
    assert snapshot["total_amount"] == "1000.00" and snapshot["lines"][0]["quantity"] == "2.000"
    client.login("sales1")
    html = client.get(f"/sales/contracts/{contract.id}").get_data(as_text=True)
    assert "已生效" in html and 'id="signature-valid"' in html and "王建国" in html
    assert client.get(f"/sales/contracts/{contract.id}/versions/1").status_code == 200


def test_the_contract_page_sends_the_manager_to_sign_what_was_submitted(client, app, team):
    """Rule: signing happens where the frozen content is shown (the request page), so the
    contract page links there rather than offering a password box of its own."""
    contract = make_contract(app, by=team.staff)
    request_id = submit(app, contract, team.staff)
    client.login("sales_mgr")
    html = client.get(f"/sales/contracts/{contract.id}").get_data(as_text=True)
    assert f'href="/approvals/{request_id}#sign-panel"' in html
    detail = client.get(f"/approvals/{request_id}").get_data(as_text=True)
    assert f"/sales/contracts/{contract.id}" in detail and "合同评审" in detail


def test_rejection_returns_the_draft_with_the_comment(client, app, team):
    contract = make_contract(app, by=team.staff)
    request_id = submit(app, contract, team.staff)
    sign_as(app, request_id, team.manager, Decision.REJECT, "质保金比例过低，请调整")
    assert load(app, contract.id).status == ContractStatus.DRAFT
    client.login("sales1")
    html = client.get(f"/sales/contracts/{contract.id}").get_data(as_text=True)
    assert 'id="review-rejected"' in html and "质保金比例过低，请调整" in html
    assert 'id="edit-contract"' in html
    assert client.post_form(f"/sales/contracts/{contract.id}/submit", {}).status_code == 303
    with app.app_context():
        statuses = db.session.scalars(select(ApprovalRequest.status).where(
            ApprovalRequest.record_type == "Contract").order_by(ApprovalRequest.id)).all()
    assert statuses == [RequestStatus.REJECTED, RequestStatus.PENDING]


def test_a_contract_that_is_not_a_draft_cannot_be_submitted_again(client, app, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    client.login("sales1")
    response = client.post_form(f"/sales/contracts/{contract.id}/submit", {}, follow_redirects=True)
    assert "只有草稿状态的合同可以提交评审" in response.get_data(as_text=True)


def test_content_changed_behind_the_engine_shows_signature_invalid(client, app, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    with app.app_context():
        found = db.session.get(Contract, contract.id)
        found.delivery_place = "改过的地点"
        db.session.commit()
    client.login("sales1")
    assert 'id="signature-invalid"' in client.get(f"/sales/contracts/{contract.id}").get_data(
        as_text=True)
    assert "签字失效" in pdf_text(client.get(f"/sales/contracts/{contract.id}/review.pdf").data)


def test_the_review_pdf_is_the_5_14_form_with_capitals_and_signers(client, app, team):
    contract = make_contract(app, by=team.staff, lines=[("生产线", "A型", "套", "1", "500000.00")],
                             terms=[("advance", "150000", "2026-02-01"),
                                    ("acceptance", "300000", "2026-06-01"),
                                    ("retention", "50000", "2027-06-01")],
                             delivery_place="广州市黄埔区", has_penalty=True,
                             penalty_clause="逾期交货每日罚千分之一", copies=4, pages_per_copy=12)
    request_id = submit(app, contract, team.staff)
    sign_as(app, request_id, team.manager)
    sign_as(app, request_id, team.gm)
    client.login("sales1")
    response = client.get(f"/sales/contracts/{contract.id}/review.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    with app.app_context():
        customer_name = db.session.get(Contract, contract.id).customer.name
    for expected in ("销售合同评审表", customer_name, "大写：伍拾万元整", "小写：¥500,000.00",
                     "预付款到期日期", "2026-02-01", "广州市黄埔区", "一式 4 份，每份 12 页",
                     "■是", "审核：王建国（M2001）", "批准：赵总（G0001）", "制表：李晓明（S1001）",
                     "签字有效", contract.number):
        assert expected in text, expected
    with app.app_context():
        printed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "print")).all()
    assert printed and printed[-1].object_type == "Contract"
