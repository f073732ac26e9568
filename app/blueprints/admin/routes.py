"""Administrators create, edit, deactivate and unlock users and reset their passwords."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from app import policy
from app.blueprints.admin import bp
from app.blueprints.admin.forms import ResetPasswordForm, UserFilterForm, UserForm
from app.extensions import db
from app.forms import EmptyForm
from app.htmx import redirect, render
from app.models import Level, Role, User
from app.policy import Action
from app.services.core import accounts
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


def _user_data(form: UserForm) -> accounts.UserData:
    return accounts.UserData(
        username=form.username.data, full_name=form.full_name.data,
        employee_no=form.employee_no.data, department_id=form.department.data,
        role=Role(form.role.data), clearance=Level(form.clearance.data),
        locale=form.locale.data)


def _field_errors(form: UserForm, errors: dict[str, str]) -> bool:
    for name, message in errors.items():
        form[name].errors = [*form[name].errors, message]
    return bool(errors)


@bp.route("/users/new", methods=["GET", "POST"])
@login_required
def user_new():
    """Creates an account with a temporary password the user must change at first sign-in."""
    policy.require(Action.CREATE, User)
    form = UserForm(departments=accounts.departments())
    if form.validate_on_submit():
        data = _user_data(form)
        problems = accounts.password_problems(form.temporary_password.data or "", data.username)
        form.temporary_password.errors = problems
        if not _field_errors(form, accounts.taken_fields(data)) and not problems:
            user = accounts.create_user(data, form.temporary_password.data, current_user)
            db.session.commit()
            flash(_("用户 %(name)s 已创建，首次登录时须修改临时密码。", name=user.full_name),
                  "success")
            return redirect(url_for("admin.user_list"))
    status = 422 if request.method == "POST" else 200
    return render(FORM, status=status, form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def user_edit(user_id: int):
    """Edits department, role, clearance and names; changes end the user's sessions."""
    user = policy.load(User, user_id, Action.EDIT)
    form = UserForm(obj=user, departments=accounts.departments())
    if request.method == "GET":
        form.department.data = user.department_id
    if form.validate_on_submit():
        data = _user_data(form)
        if not _field_errors(form, accounts.taken_fields(data, exclude_id=user.id)):
            accounts.update_user(user, data, current_user)
            db.session.commit()
            flash(_("用户 %(name)s 已保存。", name=user.full_name), "success")
            return redirect(url_for("admin.user_list"))
    status = 422 if request.method == "POST" else 200
    return render(FORM, status=status, form=form, user=user, reset_form=ResetPasswordForm(),
                  action_form=EmptyForm())


@bp.post("/users/<int:user_id>/active")
@login_required
def user_set_active(user_id: int):
    """Deactivates or reactivates an account (never one's own deactivation)."""
    user = policy.load(User, user_id, Action.MANAGE)
    form = EmptyForm()
    if form.validate_on_submit():
        active = request.form.get("active") == "1"
        error = accounts.set_active(user, active, current_user)
        db.session.commit()
        if error:
            flash(error, "danger")
        else:
            message = (_("用户 %(name)s 已启用。", name=user.full_name) if active
                       else _("用户 %(name)s 已停用，其所有会话已结束。", name=user.full_name))
            flash(message, "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/users/<int:user_id>/reset-password")
@login_required
def user_reset_password(user_id: int):
    """Sets a temporary password; the user must change it at next sign-in."""
    user = policy.load(User, user_id, Action.MANAGE)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        problems = accounts.reset_password(user, form.temporary_password.data, current_user)
        db.session.commit()
        for problem in problems:
            flash(problem, "danger")
        if not problems:
            flash(_("已为 %(name)s 设置临时密码，下次登录时须修改。", name=user.full_name),
                  "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/users/<int:user_id>/unlock")
@login_required
def user_unlock(user_id: int):
    """Lifts a temporary lock after repeated failed sign-ins."""
    user = policy.load(User, user_id, Action.MANAGE)
    if EmptyForm().validate_on_submit():
        accounts.unlock(user, current_user)
        db.session.commit()
        flash(_("用户 %(name)s 已解锁。", name=user.full_name), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))
