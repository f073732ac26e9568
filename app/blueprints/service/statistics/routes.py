"""客服统计 (/service/statistics/): a quarter's or a year's figures with charts, as a page, an
Excel workbook and a PDF. Who reads it and over which records: policy.service.StatisticsRules."""

from flask import abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import send_export, send_pdf
from app.blueprints.service import bp
from app.blueprints.service.statistics.forms import StatisticsForm
from app.blueprints.service.statistics.views import counted, summary, visits_counted
from app.htmx import render
from app.navigation import service_section
from app.policy import Action
from app.policy.service import ServiceStatistics
from app.services.service.statistics import figures, tables
from app.services.service.statistics.charts import figure_charts
from app.services.service.statistics.exports import statistics_workbook
from app.services.service.statistics.pdf import statistics_pdf
from app.services.service.statistics.periods import year_or_quarter
from app.timeutil import local_now, local_today

PAGE = "service/statistics/page.html"

service_section(80, _l("客服统计"), "service.statistics_overview", ServiceStatistics,
                _l("按季度、年度统计服务次数、满意度、配件、超时与返修"))


def _figures(action: Action):
    """The form and the period's figures; None for the figures when the form is invalid."""
    policy.require(action, ServiceStatistics)
    form = StatisticsForm(request.args)
    if not form.validate():
        return form, None
    period = year_or_quarter(*form.period_args(local_today()))
    now = local_now().replace(tzinfo=None)
    return form, figures.figures(counted(ServiceStatistics), visits_counted(), period, now,
                                 summary())


@bp.get("/statistics/")
@login_required
def statistics_overview():
    """The period's figures and charts for the statistics' readers; an invalid year is 422."""
    form, found = _figures(Action.VIEW)
    if found is None:
        return render(PAGE, "figures", status=422, form=form)
    return render(PAGE, "figures", form=form, figures=found, charts=figure_charts(found),
                  tables=tables)


@bp.get("/statistics/export.xlsx")
@login_required
def statistics_export():
    """The page's tables as a workbook; audited. An invalid year is 422."""
    _form, found = _figures(Action.EXPORT)
    if found is None:
        abort(422)
    return send_export(statistics_workbook(found),
                       f"{_('客服统计')}{found.period.code}.xlsx",
                       f"service-statistics-{found.period.code}.xlsx", label=_("客服统计"),
                       object_type="ServiceStatistics")


@bp.get("/statistics/print.pdf")
@login_required
def statistics_print():
    """The page as PDF (the same charts); audited. An invalid year is 422."""
    _form, found = _figures(Action.PRINT)
    if found is None:
        abort(422)
    return send_pdf(statistics_pdf(found, current_user))
