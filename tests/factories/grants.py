"""Account grants: filed through the service as a given administrator, and the approval
request that decides a user's grant."""

from sqlalchemy import select

from app.extensions import db
from app.models import AccountGrant, ApprovalAssignment, ApprovalRequest, GrantStatus, User
from app.services.approvals import account_changes
from app.services.core.rights import rights_of
from app.services.core.users import UserData


def edit_as(app, admin: User, user: User, **changes) -> AccountGrant | None:
    """What the administrator's edit page does with `changes` (role, clearance,
    department_id) to the user's account; returns the grant it filed."""
    with app.app_context():
        target = db.session.get(User, user.id)
        now = rights_of(target)
        data = UserData(target.username, target.full_name, target.employee_no,
                        changes.get("department_id", now.department_id),
                        changes.get("role", now.role), changes.get("clearance", now.clearance),
                        target.locale)
        outcome = account_changes.edit_account(target, data, db.session.get(User, admin.id))
        db.session.commit()
        return outcome.grant and outcome.grant.id


def grant_request_id(app, user: User) -> int:
    """The approval request of the user's latest grant."""
    with app.app_context():
        grant_id = db.session.scalar(select(AccountGrant.id).where(
            AccountGrant.user_id == user.id).order_by(AccountGrant.id.desc()).limit(1))
        return db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.record_type == "AccountGrant",
            ApprovalRequest.record_id == grant_id))


def grant_status(app, user: User) -> GrantStatus | None:
    with app.app_context():
        return db.session.scalar(select(AccountGrant.status).where(
            AccountGrant.user_id == user.id).order_by(AccountGrant.id.desc()).limit(1))


def assigned(app, request_id: int) -> set[str]:
    """Usernames the request waits for."""
    with app.app_context():
        return set(db.session.scalars(select(User.username).join(
            ApprovalAssignment, ApprovalAssignment.user_id == User.id).where(
            ApprovalAssignment.request_id == request_id, ApprovalAssignment.done.is_(False))))
