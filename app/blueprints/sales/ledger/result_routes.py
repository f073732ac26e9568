"""销售实绩: 月份销售实绩统计表 (表5-11) per salesperson and 重点客户管理表 for a period."""

from flask import abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app import policy
from app.blueprints._kit import in_scope, send_export
from app.blueprints.sales import bp
from app.blueprints.sales.ledger.forms import ResultsForm
from app.htmx import render
from app.models import SalesEntry
from app.navigation import sales_section
from app.policy import Action
from app.services.sales.ledger import results as service
from app.services.sales.ledger.results_export import results_workbook
from app.timeutil import local_today

PAGE = "sales/results/page.html"

sales_section(60, _l("销售实绩与重点客户"), "sales.results_list", SalesEntry,
              _l("表5-11 月份销售实绩统计；销售额、增长率、利润率前 10 名客户"))


def _request():
    """The form, whether it is valid, the month and period asked for (this month and the
    year to date by default) and the policy-scoped ledger rows."""
    form = ResultsForm(request.args)
    form.validate()
    today = local_today()
    month = form.month.data or today.replace(day=1)
    if not form.month.errors:
        form.month.data = month
    period = form.period(today.replace(month=1, day=1), today)
    valid = not form.errors
    return form, valid, month, period, in_scope(SalesEntry)


@bp.get("/results/")
@login_required
def results_list():
    """The month's results per salesperson in the user's scope and the period's top
    customers; an invalid month or period is answered with 422 and the form's messages."""
    policy.require(Action.VIEW, SalesEntry)
    form, valid, month, period, scoped = _request()
    context = {"form": form, "month": month, "period": period}
    if valid:
        context["results"] = service.month_results(scoped, month)
        context["key"] = service.key_customers(scoped, *period)
    return render(PAGE, "results", status=200 if valid else 422, **context)


@bp.get("/results/export.xlsx")
@login_required
def results_export():
    """Both tables of the page as two sheets; audited. An invalid month or period is 422."""
    policy.require(Action.EXPORT, SalesEntry)
    form, valid, month, period, scoped = _request()
    if not valid:
        abort(422)
    data = results_workbook(service.month_results(scoped, month), month,
                            service.key_customers(scoped, *period), period)
    return send_export(data, f"{_('销售实绩')}{month:%Y-%m}.xlsx",
                       f"sales-results-{month:%Y-%m}.xlsx", label=_("销售实绩"),
                       object_type="SalesEntry")
