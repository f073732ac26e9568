"""Who approves a grant: the GM; a second administrator when no GM can; either for a grant of
the GM role; never the requester or the account it is for; only someone holding the clearance
granted; and whoever is approving must still be allowed to when they sign."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import GRANT_FLOW, ApprovalFlow, Level, Role, User
from tests.factories.approvals import sign
from tests.factories.grants import assigned, edit_as, grant_request_id
from tests.factories.people import make_user
from tests.support import fetch

NEW_MANAGER = {"username": "mgr9", "full_name": "孙经理", "employee_no": "M0009",
               "department": "1", "role": "manager", "clearance": "2", "locale": "zh_CN",
               "temporary_password": "Temp-2026x"}


@pytest.fixture
def admins(client, app):
    """Two administrators cleared for 内部, and no general manager."""
    first = make_user(app, "admin", role=Role.ADMIN)
    second = make_user(app, "admin2", role=Role.ADMIN)
    client.login("admin")
    return first, second


def test_without_a_gm_a_second_administrator_approves(client, app, admins):
    staff = make_user(app, "sales1")
    edit_as(app, admins[0], staff, role=Role.MANAGER)
    request_id = grant_request_id(app, staff)
    assert assigned(app, request_id) == {"admin2"}
    client.login("admin2")
    assert f'id="request-{request_id}"' in client.get("/approvals/").get_data(as_text=True)
    assert sign(client, request_id).status_code == 303
    assert fetch(app, User, staff.id).role == Role.MANAGER


def test_the_requester_cannot_approve_their_own_grant(client, app, admins):
    staff = make_user(app, "sales1")
    edit_as(app, admins[0], staff, role=Role.MANAGER)
    assert sign(client, grant_request_id(app, staff)).status_code == 403
    assert fetch(app, User, staff.id).role == Role.STAFF


def test_a_grant_nobody_could_approve_is_refused_and_nothing_is_created(client, app):
    make_user(app, "admin", role=Role.ADMIN)
    client.login("admin")
    response = client.post_form("/admin/users/new", NEW_MANAGER)
    assert response.status_code == 422
    assert "没有可以审批的人" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "mgr9")) is None


def test_an_approver_must_hold_the_clearance_granted(client, app, admins):
    response = client.post_form("/admin/users/new", {**NEW_MANAGER, "clearance": "3"})
    assert response.status_code == 422 and "不得低于秘密" in response.get_data(as_text=True)
    with app.app_context():
        db.session.get(User, admins[1].id).clearance = Level.SECRET
        db.session.commit()
    assert client.post_form("/admin/users/new", {**NEW_MANAGER, "clearance": "3"}
                            ).status_code == 303


def test_a_grant_of_the_gm_role_waits_for_the_gm_or_a_second_administrator(client, app,
                                                                            admins):
    make_user(app, "gm", role=Role.GM, clearance=Level.CONFIDENTIAL)
    staff = make_user(app, "sales1")
    edit_as(app, admins[0], staff, role=Role.GM)
    assert assigned(app, grant_request_id(app, staff)) == {"gm", "admin2"}
    other = make_user(app, "sales2")
    edit_as(app, admins[0], other, role=Role.AUDITOR)
    assert assigned(app, grant_request_id(app, other)) == {"gm"}


def test_a_grant_for_the_gm_is_approved_by_someone_else(client, app, admins):
    gm = make_user(app, "gm", role=Role.GM)
    edit_as(app, admins[0], gm, department_id=gm.department_id + 1)
    request_id = grant_request_id(app, gm)
    assert assigned(app, request_id) == {"admin2"}
    client.login("gm")
    assert sign(client, request_id).status_code == 403


def test_a_gm_demoted_since_can_no_longer_approve(client, app, admins):
    gm = make_user(app, "gm", role=Role.GM, clearance=Level.CONFIDENTIAL)
    staff = make_user(app, "sales1")
    edit_as(app, admins[0], staff, role=Role.MANAGER)
    request_id = grant_request_id(app, staff)
    edit_as(app, admins[1], gm, role=Role.STAFF)
    client.login("gm")  # a 专员 now: the request does not exist for them
    assert sign(client, request_id).status_code == 404
    assert fetch(app, User, staff.id).role == Role.STAFF


def test_the_grant_flow_cannot_be_edited(client, app, admins):
    with app.app_context():
        flow_id = db.session.scalar(select(ApprovalFlow.id).where(
            ApprovalFlow.kind == GRANT_FLOW))
    assert client.get(f"/admin/flows/{flow_id}/edit").status_code == 403
    html = client.get("/admin/flows/").get_data(as_text=True)
    assert "两人规则，不可修改" in html and f"/admin/flows/{flow_id}/edit" not in html


def test_a_gm_whose_clearance_was_lowered_since_cannot_approve_more(client, app, admins):
    make_user(app, "gm", role=Role.GM, clearance=Level.CONFIDENTIAL)
    staff = make_user(app, "sales1")
    edit_as(app, admins[0], staff, role=Role.MANAGER, clearance=Level.SECRET)
    request_id = grant_request_id(app, staff)
    assert assigned(app, request_id) == {"gm"}
    with app.app_context():
        gm = db.session.scalar(select(User).where(User.username == "gm"))
    edit_as(app, admins[1], gm, clearance=Level.INTERNAL)
    client.login("gm")
    assert sign(client, request_id).status_code == 403
    assert fetch(app, User, staff.id).clearance == Level.INTERNAL
