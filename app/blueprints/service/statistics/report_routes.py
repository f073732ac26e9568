"""The reports (spec a10): the weekly service report (客服周报, due every Friday) and the monthly
服务监督报告 to the GM, each as a page, a workbook and a PDF. The sales manager's copy holds the
figures only (policy.service.StatisticsRules); 客服 staff have the weekly report of their own
records and no monthly report."""

from dataclasses import dataclass

from flask import abort, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import send_export, send_pdf
from app.blueprints.service import bp
from app.blueprints.service.statistics.forms import MonthForm, WeekForm
from app.blueprints.service.statistics.views import (
    counted,
    listed,
    summary,
    visits_counted,
)
from app.htmx import render
from app.navigation import sales_section, service_section
from app.policy import Action
from app.policy.service import ServiceStatistics, SupervisionReport
from app.services.service.statistics import periods, reports, tables
from app.services.service.statistics.charts import figure_charts
from app.services.service.statistics.exports import report_workbook
from app.services.service.statistics.pdf import report_pdf
from app.timeutil import local_now, local_today

PAGE = "service/statistics/report.html"

service_section(81, _l("客服周报"), "service.weekly_report", ServiceStatistics,
                _l("每周五：本周客户服务情况和客户反映信息"))
service_section(82, _l("服务监督报告"), "service.supervision_report", SupervisionReport,
                _l("月度：服务受理、主动维护、超时与满意度，报总经理"))
# 业务部 writes the monthly assessment (服务、监督两条线): the sales manager finds it at home.
sales_section(90, _l("服务监督报告"), "service.supervision_report", SupervisionReport,
              _l("客服部月度服务受理、主动维护、超时与满意度（汇总，不含个人信息）"))


@dataclass(frozen=True)
class Kind:
    """A report: its area, titles and page (its workbook and PDF are the page's endpoint with
    _export and _pdf)."""

    area: type
    title: str
    ascii_title: str
    endpoint: str

    @property
    def weekly(self) -> bool:
        return self.area is ServiceStatistics


WEEKLY = Kind(ServiceStatistics, _l("客服周报"), "service-weekly", "service.weekly_report")
MONTHLY = Kind(SupervisionReport, _l("服务监督报告"), "service-supervision",
               "service.supervision_report")


def _weekly(action: Action):
    """The form and the week's report; None for the report when the form is invalid."""
    policy.require(action, ServiceStatistics)
    form = WeekForm(request.args)
    if not form.validate():
        return form, None
    period = periods.week(form.week.data or local_today())
    now = local_now().replace(tzinfo=None)
    return form, reports.weekly(counted(ServiceStatistics), visits_counted(), listed(), period,
                                now, summary())


def _monthly(action: Action):
    """The form and the month's report (this month by default)."""
    policy.require(action, SupervisionReport)
    form = MonthForm(request.args)
    if not form.validate():
        return form, None
    period = periods.month(form.month.data or local_today())
    previous = periods.month_before(period)
    now = local_now().replace(tzinfo=None)
    return form, reports.monthly(counted(SupervisionReport), visits_counted(), listed(), period,
                                 previous, now, summary())


def _page(kind: Kind, form, report):
    if report is None:
        return render(PAGE, "report", status=422, form=form, kind=kind)
    return render(PAGE, "report", form=form, kind=kind, report=report, figures=report.figures,
                  charts=figure_charts(report.figures), tables=tables)


def _export(kind: Kind, report):
    if report is None:
        abort(422)
    code = report.figures.period.code
    return send_export(report_workbook(report, str(kind.title)), f"{kind.title}{code}.xlsx",
                       f"{kind.ascii_title}-{code}.xlsx", label=str(kind.title),
                       object_type=kind.area.__name__)


def _print(kind: Kind, report):
    if report is None:
        abort(422)
    return send_pdf(report_pdf(report, str(kind.title), kind.ascii_title, current_user))


@bp.get("/statistics/weekly")
@login_required
def weekly_report():
    """The week's figures and, for 客服 readers, its records and feedback; a bad day is 422."""
    return _page(WEEKLY, *_weekly(Action.VIEW))


@bp.get("/statistics/weekly.xlsx")
@login_required
def weekly_report_export():
    """The weekly report as a workbook; audited."""
    return _export(WEEKLY, _weekly(Action.EXPORT)[1])


@bp.get("/statistics/weekly.pdf")
@login_required
def weekly_report_pdf():
    """The weekly report as PDF; audited."""
    return _print(WEEKLY, _weekly(Action.PRINT)[1])


@bp.get("/statistics/monthly")
@login_required
def supervision_report():
    """服务监督报告 of the month for managers and the GM; a bad month is 422."""
    return _page(MONTHLY, *_monthly(Action.VIEW))


@bp.get("/statistics/monthly.xlsx")
@login_required
def supervision_report_export():
    """服务监督报告 as a workbook; audited."""
    return _export(MONTHLY, _monthly(Action.EXPORT)[1])


@bp.get("/statistics/monthly.pdf")
@login_required
def supervision_report_pdf():
    """服务监督报告 as PDF; audited."""
    return _print(MONTHLY, _monthly(Action.PRINT)[1])
