"""Account grants in the approval engine (two-person rule): rights asked for an account wait
for another person's signature, and apply, ending the account's sessions, once it is given.

Who approves: the general manager. When no GM can (there is none, or the GM is the account
itself, or holds less than the clearance granted), a second administrator does; a grant of the
GM role may be approved by either. Never the requester, never the account it is for
(policy.admin.may_approve_grant, checked again when they sign).
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import GRANT_FLOW, AccountGrant, GrantStatus, Level, Role, User
from app.models.approvals import ApprovalRequest
from app.models.base import utcnow
from app.policy.admin import GRANT_APPROVER_ROLES, may_approve_grant
from app.services.approvals import engine as approvals
from app.services.approvals.grant_cards import GrantCard
from app.services.core import audit, record_kinds, rights, users
from app.services.core.notifications import Link
from app.services.core.rights import Rights

RECORD_TYPE = "AccountGrant"


class GrantRefused(approvals.ApprovalError):
    """A grant that cannot be asked (for oneself, or nobody could approve it)."""

    def __init__(self, message: str):
        super().__init__(message, 422)


@dataclass(frozen=True)
class GrantLine:
    """One granted item as the approval sheet and the grant page show it."""

    label: str
    old: str
    new: str


def asked_rights(grant: AccountGrant) -> Rights:
    return Rights(grant.role_after, grant.department_after_id, grant.clearance_after)


def lines(grant: AccountGrant) -> list[GrantLine]:
    """What the grant changes, old → new, in the reader's language."""
    found = []
    if grant.role_after != grant.role_before:
        found.append(GrantLine(_("角色"), str(grant.role_before.label),
                               str(grant.role_after.label)))
    if grant.department_after_id != grant.department_before_id:
        found.append(GrantLine(_("部门"), str(grant.department_before.label),
                               str(grant.department_after.label)))
    if grant.clearance_after != grant.clearance_before:
        found.append(GrantLine(_("涉密级别"), str(grant.clearance_before.label),
                               str(grant.clearance_after.label)))
    if grant.reactivate:
        found.append(GrantLine(_("账户状态"), _("已停用"), _("启用")))
    if grant.password_reset:
        found.append(GrantLine(_("密码"), "", _("设置临时密码（下次登录须修改）")))
    return found


def summary(grant: AccountGrant) -> str:
    """The grant in one line: "角色 专员 → 总经理；涉密级别 内部 → 机密"."""
    return "；".join(f"{line.label} {line.old} → {line.new}" if line.old
                    else f"{line.label}：{line.new}" for line in lines(grant))


def request_of(grant: AccountGrant) -> ApprovalRequest | None:
    """The approval request that decides the grant."""
    return db.session.scalar(select(ApprovalRequest).where(
        ApprovalRequest.record_type == RECORD_TYPE, ApprovalRequest.record_id == grant.id)
        .order_by(ApprovalRequest.id.desc()).limit(1))


def _audited(grant: AccountGrant) -> dict:
    changes = {"grant": grant.id, **rights.changes(
        Rights(grant.role_before, grant.department_before_id, grant.clearance_before),
        asked_rights(grant))}
    if grant.reactivate:
        changes["active"] = [False, True]
    if grant.password_reset:
        changes["password"] = audit.CHANGED
    return changes


class AccountGrants:
    """账户授权: the approval engine's adapter for account grants."""

    record_type = RECORD_TYPE

    def load(self, record_id: int) -> AccountGrant | None:
        return db.session.get(AccountGrant, record_id)

    def subject(self, grant: AccountGrant) -> User:
        return grant.user

    def snapshot(self, grant: AccountGrant) -> dict:
        """The signed content: the grant as asked, by account id (renaming the account while it
        waits does not void it), never the password itself."""
        return {"record": RECORD_TYPE, "id": grant.id, "user_id": grant.user_id,
                "requested_by_id": grant.requested_by_id, **_audited(grant)}

    def department_id(self, grant: AccountGrant) -> int:
        return grant.department_after_id

    def level(self, grant: AccountGrant) -> Level:
        return Level.INTERNAL

    def title(self, grant: AccountGrant) -> str:
        return f"{grant.user.full_name}（{grant.user.username}）：{summary(grant)}"

    def link(self, grant: AccountGrant) -> Link:
        return Link("admin.grant_detail", {"grant_id": grant.id})

    def numbers(self, grant: AccountGrant) -> dict:
        return {}

    def changes(self, grant: AccountGrant) -> list[GrantLine]:
        return lines(grant)

    def signers(self, grant: AccountGrant, request: ApprovalRequest) -> list[User]:
        return approvers(grant)

    def submitted(self, grant: AccountGrant, request: ApprovalRequest) -> None:
        grant.status = GrantStatus.PENDING

    def approved(self, grant: AccountGrant, request: ApprovalRequest) -> None:
        """The rights apply (ending the account's sessions), signed for by the approver."""
        approver = db.session.get(User, request.signatures[-1].signer_id)
        user = grant.user
        rights.set_rights(user, asked_rights(grant))
        if grant.reactivate:
            user.active = True
        if grant.password_hash:
            users.give_temporary_password(user, grant.password_hash, approver,
                                          changes={"grant": grant.id})
        audit.record("rights_granted", user, changes=_audited(grant), actor=approver)
        self._decided(grant, GrantStatus.APPROVED)

    def returned(self, grant: AccountGrant, request: ApprovalRequest) -> None:
        self._decided(grant, GrantStatus(request.status.value))

    def _decided(self, grant: AccountGrant, status: GrantStatus) -> None:
        grant.status, grant.decided_at = status, utcnow()
        grant.password_hash = None  # a temporary password is kept only until it is decided


def approvers(grant: AccountGrant) -> list[User]:
    """Who is asked to sign: the GMs who may; else the administrators who may; both for a
    grant of the GM role."""
    able = [user for user in db.session.scalars(
        select(User).where(User.active.is_(True), User.role.in_(GRANT_APPROVER_ROLES))
        .order_by(User.id)) if may_approve_grant(user, grant)]
    gms = [user for user in able if user.role == Role.GM]
    admins = [user for user in able if user.role == Role.ADMIN]
    return gms + admins if grant.role_after == Role.GM else (gms or admins)


# What a grant's pages show besides the grant: templates never query.
SHOWN = (joinedload(AccountGrant.user), joinedload(AccountGrant.requested_by),
         joinedload(AccountGrant.department_before), joinedload(AccountGrant.department_after))


def pending_grant(user: User) -> AccountGrant | None:
    return db.session.scalar(select(AccountGrant).options(*SHOWN).where(
        AccountGrant.user_id == user.id, AccountGrant.status == GrantStatus.PENDING))


def with_people(grant_id: int) -> AccountGrant | None:
    """The grant with its account, requester and departments loaded, for its page."""
    return db.session.scalar(select(AccountGrant).options(*SHOWN).where(
        AccountGrant.id == grant_id).execution_options(populate_existing=True))


def withdraw_pending(user: User) -> None:
    """A change of the account's rights voids the grant asked before it: its request is
    withdrawn (audited), and the account keeps the rights it has now."""
    grant = pending_grant(user)
    request = grant and approvals.pending_request(RECORD_TYPE, grant.id)
    if request is not None:
        approvals.withdraw(request, request.submitted_by)


def file_grant(user: User, asked: Rights, actor: User, *, reactivate: bool = False,
               password_hash: str | None = None) -> AccountGrant:
    """Asks for `asked` (and a reactivation or a new password) for the account, replacing a
    grant still pending; refuses one's own account and a grant nobody could approve."""
    if user.id == actor.id:
        raise GrantRefused(_("不能为自己申请或授予任何权限，请由另一位系统管理员办理。"))
    withdraw_pending(user)
    now = rights.rights_of(user)
    grant = AccountGrant(
        user=user, requested_by=actor, role_before=now.role, role_after=asked.role,
        department_before_id=now.department_id, department_after_id=asked.department_id,
        clearance_before=now.clearance, clearance_after=asked.clearance,
        reactivate=reactivate, password_reset=password_hash is not None,
        password_hash=password_hash, status=GrantStatus.PENDING)
    db.session.add(grant)
    db.session.flush()
    if not approvers(grant):
        raise GrantRefused(_nobody_message(grant))
    approvals.submit(GRANT_FLOW, grant, actor)
    audit.record("grant_requested", user, changes=_audited(grant), actor=actor)
    return grant


def _nobody_message(grant: AccountGrant) -> str:
    level = max(grant.clearance_after, Level.INTERNAL)
    return _("无法提交授权申请：没有可以审批的人。授权须由总经理或另一位系统管理员审批，审批人的"
             "涉密级别不得低于%(level)s，且不能是申请人或被授权的账户本人。",
             level=level.label)


def plug_in() -> None:
    approvals.register(GRANT_FLOW, AccountGrants(), _l("账户授权"))
    record_kinds.register_card(RECORD_TYPE, GrantCard())
