"""Administrators keep the working-time calendar every deadline runs on: the working intervals
of a day, dated exceptions to the statutory holidays, and a preview of a year's special days."""

from itertools import zip_longest

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import AnyOf, InputRequired, Length

from app import policy
from app.blueprints._kit import form_status, send_table, show_refusal
from app.blueprints._once import once
from app.blueprints.admin import bp
from app.extensions import db
from app.forms import EmptyForm, options, strip
from app.htmx import redirect, render
from app.models.calendar import WorkdayException
from app.parsing import FIRST_DAY, LAST_DAY, BadInput, DayField, to_whole
from app.policy import Action
from app.policy.admin import CalendarRules
from app.services.core import worktime, worktime_settings
from app.services.core.worktime_settings import CalendarRefused, IntervalProblem
from app.timeutil import local_today

PAGE = "admin/calendar/index.html"
BLANK_ROWS = 2  # empty interval rows under the saved ones, for adding one
YEARS = (FIRST_DAY.year, LAST_DAY.year - 1)  # years a link may ask for: the ledger's dates
WEEKDAYS = (_l("周一"), _l("周二"), _l("周三"), _l("周四"), _l("周五"), _l("周六"), _l("周日"))

policy.register({WorkdayException: CalendarRules()})
worktime_settings.plug_in()


class ExceptionForm(FlaskForm):
    day = DayField(_l("日期"), validators=[InputRequired(_l("请填写日期。"))])
    working = SelectField(_l("当天"), choices=options((("0", _l("休息（不上班）")),
                                                        ("1", _l("上班")))),
                          validate_choice=False,
                          validators=[AnyOf(("0", "1"), message=_l("请选择当天上班还是休息。"))])
    note = StringField(_l("说明"), filters=[strip], validators=[
        InputRequired(_l("请填写说明，例如“2027 年国庆节放假”。")),
        Length(max=worktime_settings.NOTE_LENGTH, message=_l("说明不能超过 %(max)d 个字。"))])


def _year() -> int:
    """The year the page shows (?year=2027), this year by default; 400 for anything else."""
    text = request.args.get("year", "").strip()
    if not text:
        return local_today().year
    year = to_whole(text, *YEARS)
    if year is None:
        raise BadInput(_("链接中的年份无效，请从页面上的链接进入。"))
    return year


def _page(year: int, *, form: ExceptionForm | None = None, rows=None,
          problems: list[IntervalProblem] = ()):
    """The calendar page; a form sent back with its problems is answered 422."""
    calendar = worktime.calendar_for(worktime.WORK)
    exceptions = worktime_settings.exceptions_of(year)
    preview = worktime_settings.year_preview(year, calendar, {e.day: e.note for e in exceptions})
    saved = [(row.starts, row.ends) for row in worktime_settings.intervals()]
    if rows is None:
        rows = [(f"{start:%H:%M}", f"{end:%H:%M}") for start, end in saved]
    rows = [*rows, *[("", "")] * BLANK_ROWS]
    return render(PAGE, status=form_status(), year=year, form=form or ExceptionForm(),
                  exceptions=exceptions, preview=preview, rows=rows,
                  row_problems={p.row: p.message for p in problems if p.row is not None},
                  form_problems=[p.message for p in problems if p.row is None],
                  action_form=EmptyForm(), weekdays=WEEKDAYS, years=YEARS,
                  library=(worktime.FIRST_YEAR, worktime.LAST_YEAR),
                  next_year=local_today().year + 1,
                  intervals=worktime_settings.interval_text(saved))


@bp.get("/calendar/")
@login_required
def calendar_index():
    """The working intervals, the exceptions of a year and its preview; administrators only."""
    policy.require(Action.VIEW, WorkdayException)
    return _page(_year())


@bp.post("/calendar/exceptions")
@login_required
@once
def calendar_exception_add():
    """Makes a date working or non-working; refuses (422) a bad or taken date, a missing note
    and an exception that changes nothing."""
    policy.require(Action.MANAGE, WorkdayException)
    form = ExceptionForm()
    if form.validate_on_submit():
        try:
            exception = worktime_settings.add_exception(
                form.day.data, form.working.data == "1", form.note.data, current_user)
        except CalendarRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("已添加例外：%(day)s %(what)s。", day=exception.day.isoformat(),
                    what=_("上班") if exception.working else _("休息")), "success")
            return redirect(url_for("admin.calendar_index", year=exception.day.year))
    year = form.day.data.year if form.day.data else local_today().year
    return _page(year, form=form)


@bp.post("/calendar/exceptions/<int:exception_id>/delete")
@login_required
@once
def calendar_exception_delete(exception_id: int):
    """Deletes an exception (the page asks first): the day follows the statutory calendar."""
    policy.require(Action.MANAGE, WorkdayException)
    exception = policy.load(WorkdayException, exception_id, Action.MANAGE)
    year = exception.day.year
    if EmptyForm().validate_on_submit():
        worktime_settings.delete_exception(exception, current_user)
        db.session.commit()
        flash(_("已删除 %(day)s 的例外设置。", day=exception.day.isoformat()), "success")
    return redirect(url_for("admin.calendar_index", year=year))


@bp.post("/calendar/intervals")
@login_required
@once
def calendar_intervals_save():
    """Saves the working intervals of a day; refuses (422) a time not in HH:MM, a start not
    before its end, overlapping intervals and an empty day."""
    policy.require(Action.MANAGE, WorkdayException)
    rows = list(zip_longest(request.form.getlist("starts"), request.form.getlist("ends"),
                            fillvalue=""))
    spans, problems = worktime_settings.parse_intervals(rows)
    year = _year()
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("admin.calendar_index", year=year))
    if problems:
        while rows and not "".join(rows[-1]).strip():  # the blank rows come again below
            rows.pop()
        return _page(year, rows=rows, problems=problems)
    if worktime_settings.save_intervals(spans, current_user):
        db.session.commit()
        flash(_("工作时段已保存，所有期限将按新时段重新计算。"), "success")
    else:
        flash(_("工作时段没有变化。"), "info")
    return redirect(url_for("admin.calendar_index", year=year))


@bp.get("/calendar/export.xlsx")
@login_required
def calendar_export():
    """The year's exceptions as an Excel workbook (audited); administrators only."""
    policy.require(Action.EXPORT, WorkdayException)
    year = _year()
    rows = [(e.day, str(WEEKDAYS[e.day.weekday()]), _("上班") if e.working else _("休息"), e.note,
             e.created_by.full_name) for e in worktime_settings.exceptions_of(year)]
    headers = [_("日期"), _("星期"), _("当天"), _("说明"), _("录入人")]
    return send_table(_("工作日历例外"), headers, rows, f"calendar-exceptions-{year}.xlsx",
                      object_type="WorkdayException")
