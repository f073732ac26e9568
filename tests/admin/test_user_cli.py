"""`flask users`: the command line follows the same two-person rule as the pages; only an
empty database gets its first administrator and general manager directly."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, GrantStatus, Level, Role, User
from tests.factories.grants import grant_status
from tests.factories.people import make_user
from tests.support import fetch

CREATE = ["users", "create", "gm2", "--full-name", "钱总", "--employee-no", "G0002",
          "--department", "management", "--role", "gm", "--clearance", "4"]
BOOTSTRAP = ["users", "bootstrap", "--admin", "it1", "--admin-name", "管理员",
             "--admin-employee-no", "IT001", "--gm", "boss", "--gm-name", "王总",
             "--gm-employee-no", "G0001"]


def _user(app, username: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return fetch(app, User, user.id) if user else None


def test_the_cli_creates_an_account_with_safe_rights_and_a_grant_for_the_rest(app):
    make_user(app, "admin", role=Role.ADMIN)
    make_user(app, "gm", role=Role.GM, clearance=Level.CONFIDENTIAL)
    result = app.test_cli_runner().invoke(args=[*CREATE, "--by", "admin"])
    assert result.exit_code == 0, result.output
    assert re.search(r"temporary password: \S{12,}", result.output)
    created = _user(app, "gm2")
    assert (created.role, created.clearance) == (Role.STAFF, Level.INTERNAL)
    assert created.must_change_password
    assert grant_status(app, created) == GrantStatus.PENDING


def test_the_cli_needs_an_active_administrator_as_requester(app):
    make_user(app, "sales1")
    result = app.test_cli_runner().invoke(args=[*CREATE, "--by", "sales1"])
    assert result.exit_code == 1 and "not an active administrator" in result.output
    assert _user(app, "gm2") is None


def test_the_cli_refuses_a_grant_nobody_could_approve(app):
    make_user(app, "admin", role=Role.ADMIN)
    result = app.test_cli_runner().invoke(args=[*CREATE, "--by", "admin"])
    assert result.exit_code == 1 and "没有可以审批的人" in result.output
    assert _user(app, "gm2") is None


def test_the_cli_refuses_invalid_fields_without_a_traceback(app):
    make_user(app, "admin", role=Role.ADMIN)
    args = [*CREATE, "--by", "admin"]
    args[2] = "9 bad name"
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1 and "用户名以字母开头" in result.output


def test_bootstrap_makes_the_first_administrator_and_gm_of_an_empty_database(app):
    result = app.test_cli_runner().invoke(args=BOOTSTRAP)
    assert result.exit_code == 0, result.output
    admin, gm = _user(app, "it1"), _user(app, "boss")
    assert (admin.role, gm.role, gm.clearance) == (Role.ADMIN, Role.GM, Level.CONFIDENTIAL)
    with app.app_context():
        assert db.session.query(AuditEvent).filter_by(action="user_bootstrapped").count() == 2


def test_bootstrap_is_refused_once_any_account_exists(app):
    make_user(app, "sales1")
    result = app.test_cli_runner().invoke(args=BOOTSTRAP)
    assert result.exit_code == 1 and "系统中已有账户" in result.output
    assert _user(app, "boss") is None
