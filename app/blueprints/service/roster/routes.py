"""值班情况登记表 (/service/roster/): the month's roster, its export and print, and its entries:
the 客服 manager plans and corrects them, the person on duty fills in their own."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from app import policy
from app.blueprints._kit import form_status, scoped_list, send_pdf, send_table, show_refusal
from app.blueprints._once import once
from app.blueprints.service import bp
from app.blueprints.service.roster.forms import DutyForm, FillForm, arg_month
from app.errors import render_error
from app.extensions import db
from app.forms import EmptyForm
from app.htmx import redirect, render
from app.models import Role, User
from app.models.service.roster import DutyShift
from app.navigation import service_section
from app.parsing import arg_day, arg_id
from app.policy import Action
from app.policy.service import DutyCoverage
from app.services.core.edits import stamp
from app.services.core.errors import EditConflict
from app.services.core.loading import load_related
from app.services.service.roster import lists, operations
from app.services.service.roster.pdf import roster_sheet

LIST = "service/roster/list.html"
FORM = "service/roster/form.html"

service_section(70, _l("值班登记"), "service.roster_list", DutyShift,
                _l("值班情况登记表：日期、值班人员、交接时间、工作内容、工作时长；节假日值班安排"))


def _listed(action: Action = Action.VIEW) -> lists.Roster:
    """The month's roster in the user's scope; 403 outside 客服部 and the GM."""
    scoped = scoped_list(DutyShift, action)
    return lists.roster(scoped, lists.RosterFilters(arg_month(), arg_id("user")))


def _people() -> list[User]:
    """The person filter's choices: 客服 people, for those who see more than their own."""
    if policy.can(current_user, Action.MANAGE, DutyShift) or current_user.role == Role.GM:
        return operations.duty_people()
    return []


@bp.get("/roster/")
@login_required
def roster_list():
    """The month's duties the user may see (staff: their own; manager: 客服部; GM: all)."""
    listed = _listed()
    return render(LIST, listed=listed, people=_people(), user_id=arg_id("user"),
                  hours=lists.hours_text,
                  can_create=policy.can(current_user, Action.CREATE, DutyShift),
                  can_coverage=policy.can(current_user, Action.VIEW, DutyCoverage))


@bp.get("/roster/export.xlsx")
@login_required
def roster_export():
    """The month as the page lists it, as a workbook with the total hours; audited."""
    listed = _listed(Action.EXPORT)
    headers, rows = lists.export_table(listed)
    return send_table(_("值班情况登记表"), headers, rows, "duty-roster.xlsx",
                      object_type="DutyShift", totals=(headers[4],))


@bp.get("/roster/print.pdf")
@login_required
def roster_print():
    """The month as the page lists it, printed (值班情况登记表); audited."""
    listed = _listed(Action.PRINT)
    user_id = arg_id("user")
    return send_pdf(roster_sheet(listed, current_user,
                                 db.session.get(User, user_id) if user_id else None))


@bp.route("/roster/new", methods=["GET", "POST"])
@login_required
@once
def roster_new():
    """Plans a duty (the 客服 manager); refuses a person outside 客服部 and a second duty of the
    same person on the same day."""
    policy.require(Action.CREATE, DutyShift)
    form = DutyForm()
    if request.method == "GET":
        form.duty_date.data = arg_day("day")
    if form.validate_on_submit():
        try:
            shift = operations.create_shift(form.plan(), current_user)
        except operations.Refused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("值班已登记。"), "success")
            return redirect(url_for("service.roster_list",
                                    month=shift.duty_date.strftime("%Y-%m")))
    return render(FORM, "form", status=form_status(), form=form, shift=None,
                  people=operations.duty_people(), replan=True)


@bp.route("/roster/<int:shift_id>/edit", methods=["GET", "POST"])
@login_required
def roster_edit(shift_id: int):
    """Fills in or corrects a duty: its person fills in 交接时间、工作内容、工作时长、备注; the
    客服 manager may also move it to another day or person. A stale form keeps what was typed."""
    shift = policy.load(DutyShift, shift_id, Action.EDIT)
    replan = policy.can(current_user, Action.MANAGE, shift)
    form = (DutyForm if replan else FillForm)(obj=shift)
    conflict = False
    if request.method == "GET":
        form.seen.data = stamp(shift)
    elif form.validate_on_submit():
        try:
            operations.update_shift(shift, form.plan(), form.seen.data, current_user, replan)
        except operations.Refused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        except EditConflict:
            db.session.rollback()
            conflict = True
            form.seen.data = stamp(shift)
        else:
            db.session.commit()
            flash(_("值班登记已保存。"), "success")
            return redirect(url_for("service.roster_list",
                                    month=shift.duty_date.strftime("%Y-%m")))
    load_related([shift], selectinload(DutyShift.user))
    return render(FORM, "form", status=form_status(), form=form, shift=shift, conflict=conflict,
                  people=operations.duty_people() if replan else [], replan=replan,
                  delete_form=EmptyForm())


@bp.post("/roster/<int:shift_id>/delete")
@login_required
def roster_delete(shift_id: int):
    """Removes a planned duty (the 客服 manager, after confirming); audited with its values."""
    shift = policy.load(DutyShift, shift_id, Action.MANAGE)
    form = EmptyForm()
    if not form.validate_on_submit():
        return render_error(400)
    month = shift.duty_date.strftime("%Y-%m")
    operations.delete_shift(shift, current_user)
    db.session.commit()
    flash(_("值班登记已删除。"), "success")
    return redirect(url_for("service.roster_list", month=month))
