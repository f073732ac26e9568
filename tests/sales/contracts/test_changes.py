"""合同变更 (表5-15 / 表5-16): only an active contract, one pending change at a time; the change
runs its own flow (拟制 → 审核 → 批准); on approval the proposal becomes version n+1 (lines
replaced, total recomputed), the old version stays viewable with its signatures, the chosen
departments are notified, and both forms print."""

import json
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import (
    ApprovalRequest,
    AuditEvent,
    ContractChange,
    ContractStatus,
    Decision,
    DeptCode,
    Level,
    Notification,
    RecordVersion,
    RequestStatus,
    Role,
)
from app.services.core import notifications
from tests.factories.approvals import sign_as
from tests.factories.people import make_user
from tests.factories.sales import approved, load, make_contract, make_payment, payload
from tests.support import pdf_text

NEW_LINES = [("服务器", "X1", "台", "3", "500.00"), ("机柜", "42U", "个", "1", "800.00")]
NEW_TERMS = [("advance", "1000.00", "2026-03-01"), ("acceptance", "1300.00", "2026-05-01")]


def _change_form(contract, lines=NEW_LINES, terms=NEW_TERMS, **fields) -> dict:
    form = payload(contract.customer_id, lines=lines, terms=terms,
                   change_content="服务器增加 1 台，增加机柜 1 个", initiated_by="customer",
                   basis=["fax", "supplement"], notify=["service", "risk"])
    form.update(fields)
    return form


def _propose(client, contract, **fields) -> int:
    response = client.post_form(f"/sales/contracts/{contract.id}/changes/new",
                                _change_form(contract, **fields))
    assert response.status_code == 303, response.get_data(as_text=True)
    with client.application.app_context():
        return db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.record_type == "ContractChange").order_by(ApprovalRequest.id.desc()))


def _approve_change(app, team, request_id):
    sign_as(app, request_id, team.manager, comment="同意变更")
    sign_as(app, request_id, team.gm, comment="批准")


def test_the_change_form_is_the_contract_form_prefilled(client, app, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    client.login("sales1")
    html = client.get(f"/sales/contracts/{contract.id}/changes/new").get_data(as_text=True)
    assert 'value="服务器"' in html and "合同变更内容" in html and "客户手稿" in html
    assert "补充合同" in html and "客服部" in html and 'name="notify"' in html


def test_a_draft_cannot_be_changed_only_edited(client, app, team):
    contract = make_contract(app, by=team.staff)
    client.login("sales1")
    response = client.get(f"/sales/contracts/{contract.id}/changes/new")
    assert response.status_code == 303
    response = client.post_form(f"/sales/contracts/{contract.id}/changes/new",
                                _change_form(contract))
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(ContractChange)).all() == []


def test_an_approved_change_makes_version_two_and_keeps_version_one(client, app, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    client.login("sales1")
    request_id = _propose(client, contract)
    assert load(app, contract.id).total_amount == Decimal("1000.00")  # not before approval
    with app.app_context():
        assert json.loads(db.session.get(ApprovalRequest, request_id).steps_json)[0]["name"]
    _approve_change(app, team, request_id)
    after = load(app, contract.id)
    assert after.status == ContractStatus.ACTIVE and after.total_amount == Decimal("2300.00")
    assert [(ln.product, ln.quantity) for ln in after.lines] == [
        ("服务器", Decimal("3.000")), ("机柜", Decimal("1.000"))]
    with app.app_context():
        numbers = db.session.scalars(select(RecordVersion.number).where(
            RecordVersion.record_type == "Contract", RecordVersion.record_id == contract.id)
            .order_by(RecordVersion.number)).all()
        change = db.session.scalars(select(ContractChange)).one()
        assert change.status == RequestStatus.APPROVED and change.applied_at
    assert numbers == [1, 2]
    html = client.get(f"/sales/contracts/{contract.id}").get_data(as_text=True)
    assert 'id="signature-valid"' in html and "第 2 版" in html
    assert "合同金额：¥1,000.00 → ¥2,300.00" in html
    assert "产品明细 1：服务器 X1：2台 × ¥500.00 = ¥1,000.00 → 服务器 X1：3台" in html
    assert "产品明细 2：— → 机柜 42U：1个 × ¥800.00 = ¥800.00" in html
    old = client.get(f"/sales/contracts/{contract.id}/versions/1").get_data(as_text=True)
    assert 'id="old-version"' in old and "¥1,000.00" in old and "王建国" in old
    assert "壹仟元整" in old
    new = client.get(f"/sales/contracts/{contract.id}/versions/2").get_data(as_text=True)
    assert "贰仟叁佰元整" in new and "同意变更" in new and 'id="version-changes"' in new


def test_the_chosen_departments_are_notified(client, app, team):
    risk = make_user(app, "risk1", dept=DeptCode.RISK)
    make_user(app, "cs_old", dept=DeptCode.SERVICE, active=False)
    make_user(app, "arch", role=Role.ARCHIVIST, dept=DeptCode.ARCHIVE)
    contract = approved(app, team, make_contract(app, by=team.staff))
    client.login("sales1")
    _approve_change(app, team, _propose(client, contract))
    with app.app_context():
        notices = db.session.scalars(select(Notification).where(
            Notification.kind == "contract_change_notice")).all()
        assert sorted(n.user_id for n in notices) == sorted([team.service.id, risk.id])
        text = notifications.message(notices[0])
    assert contract.number in text and "服务器增加 1 台" in text
    client.login("cs1")
    assert contract.number in client.get("/approvals/").get_data(as_text=True)


def test_a_notice_links_to_the_contract_only_for_who_may_open_it(client, app, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    client.login("sales1")
    _approve_change(app, team, _propose(client, contract, notify=["sales", "service"]))
    with app.app_context():
        links = dict(db.session.execute(select(Notification.user_id, Notification.link_endpoint)
                                        .where(Notification.kind == "contract_change_notice"))
                     .tuples().all())
    assert links == {team.staff.id: "sales.contract_detail", team.manager.id:
                     "sales.contract_detail", team.staff2.id: None, team.service.id: None}


def test_departments_are_notified_only_by_those_cleared_for_the_contract(client, app, team):
    """A 秘密 contract's notice is not sent to an 内部 colleague (the title would leak)."""
    cleared = make_user(app, "cs_mgr", role=Role.MANAGER, dept=DeptCode.SERVICE,
                        clearance=Level.SECRET)
    contract = make_contract(app, by=team.manager, level=Level.SECRET)
    contract = approved(app, team, contract, submitter=team.manager)
    client.login("sales_mgr")
    request_id = _propose(client, contract, confidentiality="3")
    sign_as(app, request_id, team.gm)  # the manager submitted: the GM signs both steps
    sign_as(app, request_id, team.gm)
    with app.app_context():
        users = db.session.scalars(select(Notification.user_id).where(
            Notification.kind == "contract_change_notice")).all()
    assert users == [cleared.id]


def test_only_one_pending_change_per_contract(client, app, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    client.login("sales1")
    _propose(client, contract)
    html = client.get(f"/sales/contracts/{contract.id}").get_data(as_text=True)
    assert 'id="change-contract"' not in html and 'id="pending-change-rows"' in html
    response = client.post_form(f"/sales/contracts/{contract.id}/changes/new",
                                _change_form(contract), follow_redirects=True)
    assert "已有待审批的变更申请" in response.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(ContractChange)).all()) == 1


def test_a_rejected_change_leaves_the_contract_as_it_was(client, app, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    client.login("sales1")
    request_id = _propose(client, contract)
    sign_as(app, request_id, team.manager, Decision.REJECT, "价格未经确认")
    after = load(app, contract.id)
    assert after.total_amount == Decimal("1000.00") and len(after.lines) == 1
    with app.app_context():
        assert db.session.scalars(select(ContractChange.status)).one() == RequestStatus.REJECTED
        assert db.session.scalars(select(Notification).where(
            Notification.kind == "contract_change_notice")).all() == []
    assert client.get(f"/sales/contracts/{contract.id}/changes/new").status_code == 200


def test_a_change_that_changes_nothing_or_breaks_a_rule_is_refused(client, app, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    client.login("sales1")
    same = _change_form(contract, lines=[("服务器", "X1", "台", "2", "500.00")],
                        terms=[("advance", "1000.00", "2026-03-01")], template_source="")
    response = client.post_form(f"/sales/contracts/{contract.id}/changes/new", same)
    assert response.status_code == 422 and "没有需要变更的内容" in response.get_data(as_text=True)
    response = client.post_form(f"/sales/contracts/{contract.id}/changes/new",
                                _change_form(contract, terms=[("advance", "9", "2026-03-01")]))
    assert response.status_code == 422 and "不符" in response.get_data(as_text=True)
    response = client.post_form(f"/sales/contracts/{contract.id}/changes/new",
                                _change_form(contract, basis=["other"]))
    assert response.status_code == 422 and "请注明变更依据" in response.get_data(as_text=True)


def test_a_term_with_payments_keeps_its_identity_and_cannot_be_removed(client, app, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    make_payment(app, contract, "400.00")
    term_id = contract.terms[0].id
    client.login("sales1")
    removed = _change_form(contract, terms=[("acceptance", "2300.00", "2026-05-01")])
    response = client.post_form(f"/sales/contracts/{contract.id}/changes/new", removed)
    assert response.status_code == 422 and "已有回款 ¥400.00，不能删除" in response.get_data(
        as_text=True)
    kept = _change_form(contract, terms=[("advance", "1000.00", "2026-03-01", term_id),
                                         ("acceptance", "1300.00", "2026-05-01")])
    _approve_change(app, team, _propose(client, contract, **{
        k: v for k, v in kept.items() if k.startswith("terms-")}))
    after = load(app, contract.id)
    assert [t.id for t in after.terms][0] == term_id and len(after.terms) == 2


def test_the_request_and_notice_pdfs(client, app, team):
    contract = approved(app, team, make_contract(app, by=team.staff))
    client.login("sales1")
    request_id = _propose(client, contract)
    with app.app_context():
        change_id = db.session.scalars(select(ContractChange.id)).one()
    base = f"/sales/contracts/{contract.id}/changes/{change_id}"
    assert client.get(f"{base}/notice.pdf").status_code == 404  # not approved yet
    _approve_change(app, team, request_id)
    text = pdf_text(client.get(f"{base}/request.pdf").data)
    for expected in ("合同变更申请单", contract.number, "服务器增加 1 台", "■客户", "□本公司",
                     "■传真", "■补充合同", "□电报", "■客服部", "■风险管理部",
                     "拟制 李晓明（S1001）", "王建国（M2001）", "赵总（G0001）"):
        assert expected in text, expected
    text = pdf_text(client.get(f"{base}/notice.pdf").data)
    for expected in ("合同变更通知单", "第 2 版", "客服部、风险管理部", "¥1,000.00",
                     "¥2,300.00", "机柜"):
        assert expected in text, expected
    with app.app_context():
        documents = db.session.scalars(select(AuditEvent.changes).where(
            AuditEvent.action == "print")).all()
    assert any("合同变更申请单" in d for d in documents)
    assert any("合同变更通知单" in d for d in documents)
    other = approved(app, team, make_contract(app, by=team.staff))
    assert client.get(f"/sales/contracts/{other.id}/changes/{change_id}/request.pdf"
                      ).status_code == 404
