"""Signatures hold only while the record is what was signed; copies and edits are caught."""

import threading

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models import (
    ApprovalFlow,
    ApprovalRequest,
    ApprovalStep,
    ApproverRule,
    AuditEvent,
    DeptCode,
    Level,
    Meaning,
    RequestStatus,
    Role,
    Signature,
    StepMode,
    User,
)
from app.models.approvals import Decision
from app.models.customers import Customer
from app.services.approvals import engine as approvals
from tests.factories.approvals import draft, sign, submit
from tests.factories.people import make_user
from tests.support import PASSWORD


def _approved(client, app, team, **fields):
    customer = draft(app, team.staff, **fields)
    client.login("sales1")
    request_id = submit(client, customer)
    client.login("sales_mgr")
    sign(client, request_id)
    return customer, request_id


def _verify(app):
    return app.test_cli_runner().invoke(args=["approvals", "verify"])


def test_all_signatures_verify_after_an_approval(client, app, team):
    _approved(client, app, team)
    result = _verify(app)
    assert result.exit_code == 0 and "all signatures valid" in result.output


def test_a_row_changed_in_the_database_shows_signature_invalid(client, app, team):
    customer, _ = _approved(client, app, team)
    with app.app_context():
        db.session.execute(text("UPDATE customers SET name = :n WHERE id = :i"),
                           {"n": "被篡改的名称有限公司", "i": customer.id})
        db.session.commit()
    html = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "签字失效" in html and 'id="signature-invalid"' in html
    result = _verify(app)
    assert result.exit_code == 1
    assert f"Customer #{customer.id}" in result.output and "签字失效" in result.output


def test_free_fields_change_without_voiding_the_signature(client, app, team):
    customer, _ = _approved(client, app, team)
    with app.app_context():
        db.session.execute(text("UPDATE customers SET address = 'X路1号' WHERE id = :i"),
                           {"i": customer.id})
        db.session.commit()
    assert _verify(app).exit_code == 0


def test_a_signature_copied_onto_another_record_does_not_verify(client, app, team):
    first, first_request = _approved(client, app, team)
    second, second_request = _approved(client, app, team)
    with app.app_context():
        original = db.session.scalars(select(Signature).where(
            Signature.request_id == first_request)).one()
        db.session.execute(text("DELETE FROM signatures WHERE request_id = :r"),
                           {"r": second_request})
        columns = ("step, step_name, signer_id, signer_name, signer_employee_no, meaning, "
                   "decision, comment, signed_at, content_hash, prev_hash, hash")
        db.session.execute(text(f"INSERT INTO signatures (request_id, {columns}) "  # noqa: S608
                                f"SELECT :r, {columns} FROM signatures WHERE id = :s"),
                           {"r": second_request, "s": original.id})
        db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1 and f"Customer #{second.id}" in result.output
    assert f"Customer #{first.id}" not in result.output


def _countersign_flow(app):
    """customer.review with one 会签 step: both sales managers must sign."""
    with app.app_context():
        flow = db.session.scalar(select(ApprovalFlow).where(ApprovalFlow.kind == "customer.review"))
        flow.steps[0].rule = ApproverRule.ROLE_IN_DEPT
        flow.steps[0].role = Role.MANAGER
        flow.steps[0].department_id = team_dept(DeptCode.SALES)
        flow.steps[0].mode = StepMode.ALL
        flow.steps[0].meaning = Meaning.COUNTERSIGN
        db.session.commit()


def team_dept(code):
    from app.models import Department

    return db.session.scalar(select(Department.id).where(Department.code == code))


def _countersigned_request(client, app, team) -> tuple:
    """A customer submitted under a 会签 step that both sales managers must sign."""
    make_user(app, "sales_mgr2", role=Role.MANAGER, clearance=Level.SECRET)
    _countersign_flow(app)
    customer = draft(app, team.staff)
    client.login("sales1")
    return customer, submit(client, customer)


def test_two_countersigners_signing_at_once_complete_the_step_exactly_once(client, app, team):
    customer, request_id = _countersigned_request(client, app, team)
    start, errors = threading.Barrier(2), []

    def countersign(username):
        with app.app_context():
            try:
                start.wait(timeout=30)
                user = db.session.scalar(select(User).where(User.username == username))
                request = db.session.get(ApprovalRequest, request_id)
                approvals.sign(request, user, Decision.APPROVE, "会签同意", PASSWORD)
                db.session.commit()
            except Exception as error:  # reported below
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=countersign, args=(u,)) for u in ("sales_mgr",
                                                                          "sales_mgr2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    with app.app_context():
        request = db.session.get(ApprovalRequest, request_id)
        assert request.status == RequestStatus.APPROVED
        assert sorted(s.signer_name for s in request.signatures) == ["sales_mgr", "sales_mgr2"]
        assert request.signatures[1].prev_hash == request.signatures[0].hash
        assert len(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "approval_approved")).all()) == 1
        assert db.session.get(Customer, customer.id).status.value == "active"


def test_a_countersign_step_waits_for_everyone(client, app, team):
    _, request_id = _countersigned_request(client, app, team)
    client.login("sales_mgr")
    sign(client, request_id)
    with app.app_context():
        assert db.session.get(ApprovalRequest, request_id).status == RequestStatus.PENDING
    client.login("sales_mgr2")
    sign(client, request_id)
    with app.app_context():
        assert db.session.get(ApprovalRequest, request_id).status == RequestStatus.APPROVED


@pytest.mark.parametrize("amount, expected", [(None, 1), ("499999.99", 1), ("500000", 2)])
def test_a_conditional_step_applies_from_its_threshold(app, amount, expected):
    from decimal import Decimal

    from app.services.approvals.steps import applicable_steps

    flow = ApprovalFlow(kind="test", name="t", steps=[
        ApprovalStep(position=1, name="审核", rule=ApproverRule.RECORD_DEPT_MANAGER,
                     mode=StepMode.ANY, meaning=Meaning.REVIEW),
        ApprovalStep(position=2, name="批准", rule=ApproverRule.GM, mode=StepMode.ANY,
                     meaning=Meaning.APPROVAL, condition_field="amount",
                     threshold=Decimal("500000.00")),
    ])
    numbers = {"amount": Decimal(amount) if amount else None}
    assert len(applicable_steps(flow, numbers)) == expected
