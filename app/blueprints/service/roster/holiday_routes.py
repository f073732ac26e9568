"""节假日值班安排 (/service/roster/holidays): the statutory holidays of a year, day by day, with
who is on duty and the days nobody covers; the 客服 manager and the GM."""

from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import in_scope, send_table
from app.blueprints.service import bp
from app.blueprints.service.roster.forms import arg_year
from app.htmx import render
from app.models.service.roster import DutyShift
from app.policy import Action
from app.policy.service import DutyCoverage
from app.services.service.roster.holidays import coverage


def _periods(action: Action):
    """The year's holiday periods with the duties in scope; 403 for anyone but the 客服
    manager and the GM."""
    policy.require(action, DutyCoverage)
    return coverage(in_scope(DutyShift), arg_year())


@bp.get("/roster/holidays")
@login_required
def roster_holidays():
    """The year's statutory holidays, each day with its duties; uncovered days stand out."""
    year = arg_year()
    return render("service/roster/holidays.html", periods=_periods(Action.VIEW), year=year,
                  can_create=policy.can(current_user, Action.CREATE, DutyShift))


@bp.get("/roster/holidays/export.xlsx")
@login_required
def roster_holidays_export():
    """The page's table as a workbook (节假日, 日期, 值班人员); audited."""
    periods = _periods(Action.EXPORT)
    headers = [_("节假日"), _("日期"), _("值班人员"), _("工作时长（小时）")]
    rows = [(period.name, day.day.isoformat(),
             "、".join(s.user.full_name for s in day.shifts) or _("无人值班"), day.hours)
            for period in periods for day in period.days]
    return send_table(_("节假日值班安排"), headers, rows, "holiday-duty.xlsx",
                      object_type="DutyShift")
