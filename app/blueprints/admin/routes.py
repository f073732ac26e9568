"""Administrators create, edit, deactivate and unlock users and reset their passwords; what
raises an account's rights becomes a grant another person approves (two-person rule)."""

from collections.abc import Callable

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from app import policy
from app.blueprints._kit import form_status, show_refusal
from app.blueprints._once import once
from app.blueprints.admin import bp
from app.blueprints.admin.forms import ResetPasswordForm, UserFilterForm, UserForm
from app.extensions import db
from app.forms import EmptyForm
from app.htmx import redirect, render
from app.models import Level, Role, User
from app.policy import Action
from app.services.approvals import account_changes, grants
from app.services.approvals.engine import ApprovalError
from app.services.core import accounts, users
from app.services.core.pagination import Sort, keyset_page

FORM = "admin/user/form.html"


@bp.get("/users/")
@login_required
def user_list():
    """Lists accounts with search; administrators only."""
    policy.require(Action.VIEW, User)
    form = UserFilterForm(request.args)
    query = policy.scope(select(User), current_user, User)
    if form.q.data:
        pattern = f"%{form.q.data}%"
        query = query.where(or_(User.username.ilike(pattern), User.full_name.ilike(pattern),
                                User.employee_no.ilike(pattern)))
    page = keyset_page(query, User, Sort(User.id, False), after=form.after.data or None,
                       before=form.before.data or None)
    return render("admin/user/list.html", "results", form=form, page=page,
                  action_form=EmptyForm())


def _user_data(form: UserForm) -> users.UserData:
    return users.UserData(
        username=form.username.data, full_name=form.full_name.data,
        employee_no=form.employee_no.data, department_id=form.department.data,
        role=Role(form.role.data), clearance=Level(form.clearance.data),
        locale=form.locale.data)


def _field_errors(form: UserForm, errors: dict[str, str]) -> bool:
    for name, message in errors.items():
        form[name].errors = [*form[name].errors, message]
    return bool(errors)


def _saved(form: UserForm, change: Callable[[], account_changes.Outcome]):
    """Runs the change and commits it, or rolls it back and puts the refusal on the form."""
    try:
        outcome = change()
    except ApprovalError as refusal:
        db.session.rollback()
        show_refusal(form, refusal)
        return None
    db.session.commit()
    return outcome


def _granted_notice(outcome: account_changes.Outcome, done: str) -> None:
    flash(done, "success")
    if outcome.grant is not None:
        flash(_("所申请的权限（%(what)s）须经总经理或另一位系统管理员审批，批准后生效；"
                "在此之前该账户保持原有权限。", what=grants.summary(outcome.grant)), "info")


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
@once
def user_new():
    """Creates an account with a temporary password the user must change at first sign-in;
    rights beyond 专员 and 内部 are filed as a grant for approval."""
    policy.require(Action.CREATE, User)
    form = UserForm(departments=accounts.departments())
    if form.validate_on_submit():
        data = _user_data(form)
        problems = accounts.password_problems(form.temporary_password.data or "", data.username)
        form.temporary_password.errors = problems
        if not _field_errors(form, users.taken_fields(data)) and not problems:
            outcome = _saved(form, lambda: account_changes.create_account(
                data, form.temporary_password.data, current_user))
            if outcome:
                _granted_notice(outcome, _("用户 %(name)s 已创建，首次登录时须修改临时密码。",
                                           name=outcome.user.full_name))
                return redirect(url_for("admin.user_list"))
    return render(FORM, status=form_status(), form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def user_edit(user_id: int):
    """Edits names, department, role and clearance: lowered rights apply at once (ending the
    user's sessions), raised ones are filed as a grant; one's own rights cannot be changed."""
    user = policy.load(User, user_id, Action.EDIT)
    form = UserForm(obj=user, departments=accounts.departments())
    if request.method == "GET":
        form.department.data = user.department_id
    if form.validate_on_submit():
        data = _user_data(form)
        if not _field_errors(form, users.taken_fields(data, exclude_id=user.id)):
            outcome = _saved(form, lambda: account_changes.edit_account(user, data,
                                                                        current_user))
            if outcome:
                _granted_notice(outcome, _("用户 %(name)s 已保存。", name=user.full_name))
                return redirect(url_for("admin.user_list"))
    return render(FORM, status=form_status(), form=form, user=user,
                  reset_form=ResetPasswordForm(), action_form=EmptyForm(),
                  pending=grants.pending_grant(user), grant_summary=grants.summary)


def _act(user: User, change: Callable[[], account_changes.Outcome], done: str):
    """A one-click account action: committed with `done` (and the grant it filed, if any),
    or rolled back with its refusal; back to the account's page either way."""
    try:
        outcome = change()
    except ApprovalError as refusal:
        db.session.rollback()
        flash(refusal.message, "danger")
    else:
        db.session.commit()
        if outcome.grant is None:
            flash(done, "success")
        else:
            _granted_notice(outcome, _("已提交审批。"))
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/users/<int:user_id>/active")
@login_required
def user_set_active(user_id: int):
    """Deactivates at once (never oneself), or reactivates: at once for an account with the
    safe rights, as a grant for one that holds more."""
    user = policy.load(User, user_id, Action.MANAGE)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("admin.user_edit", user_id=user.id))
    active = request.form.get("active") == "1"
    done = (_("用户 %(name)s 已启用。", name=user.full_name) if active
            else _("用户 %(name)s 已停用，其所有会话已结束。", name=user.full_name))
    return _act(user, lambda: account_changes.set_active(user, active, current_user), done)


@bp.post("/users/<int:user_id>/reset-password")
@login_required
def user_reset_password(user_id: int):
    """Sets a temporary password the user must change at next sign-in: at once for an account
    with the safe rights, as a grant for one that holds more; never one's own."""
    user = policy.load(User, user_id, Action.MANAGE)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(errors[0], "danger")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    done = _("已为 %(name)s 设置临时密码，下次登录时须修改。", name=user.full_name)
    return _act(user, lambda: account_changes.reset_password(
        user, form.temporary_password.data, current_user), done)


@bp.post("/users/<int:user_id>/unlock")
@login_required
def user_unlock(user_id: int):
    """Lifts a temporary lock after repeated failed sign-ins."""
    user = policy.load(User, user_id, Action.MANAGE)
    if EmptyForm().validate_on_submit():
        users.unlock(user, current_user)
        db.session.commit()
        flash(_("用户 %(name)s 已解锁。", name=user.full_name), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))
