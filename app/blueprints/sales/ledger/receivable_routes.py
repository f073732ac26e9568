"""应收账款: aging per customer and per salesperson, a customer's or salesperson's open terms,
and the 表5-21 销售合同统计台账 with each contract's payment history."""

from flask import abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import in_scope, send_table
from app.blueprints.sales import bp
from app.blueprints.sales.ledger.forms import PeriodForm, ReceivablesForm
from app.extensions import db
from app.htmx import render
from app.models import Contract, Customer, Payment, Role, User
from app.navigation import sales_section
from app.policy import Action
from app.services.customers.owners import owner_options
from app.services.sales.ledger import receivables as service
from app.services.sales.ledger.receivables_export import export_table
from app.services.sales.ledger.statistics import PeriodFilters, statistics
from app.services.sales.ledger.statistics import export_table as statistics_table
from app.timeutil import local_today

LIST = "sales/receivables/list.html"
STATISTICS = "sales/receivables/statistics.html"

sales_section(50, _l("应收账款"), "sales.receivables_list", Contract,
              _l("欠款与逾期按付款条款自动计算；按客户、按销售人员的账龄分析"))


def _request():
    """The form (invalid values ignored) and the policy-scoped contracts."""
    form = ReceivablesForm(request.args)
    form.validate()
    for name in ("view", "customer", "owner"):
        if form[name].errors:
            form[name].data = form[name].default
    return form, in_scope(Contract)


def _subject(form: ReceivablesForm):
    """The customer (basic card) or salesperson whose open terms are asked for, or None."""
    if form.customer.data:
        return policy.load(Customer, form.customer.data, Action.VIEW_CARD)
    if form.owner.data:
        user = db.session.get(User, form.owner.data)
        if user is None:
            abort(404)
        return user
    return None


@bp.get("/receivables/")
@login_required
def receivables_list():
    """Aging of what is owed on the contracts in the user's scope, per customer or per
    salesperson with totals; for one customer or salesperson, their open terms."""
    policy.require(Action.VIEW, Contract)
    form, scoped = _request()
    subject = _subject(form)
    context = {"form": form, "subject": subject, "buckets": service.BUCKETS}
    if subject is not None:
        query = service.open_terms_query(scoped, form.customer.data, form.owner.data)
        context["page"], context["terms"] = service.open_terms(
            query, after=form.after.data or None, before=form.before.data or None)
    else:
        context["aging"] = service.aging(scoped, form.view.data, after=form.after.data or None,
                                         before=form.before.data or None,
                                         kept_for=current_user._get_current_object())
    return render(LIST, "results", **context)


@bp.get("/receivables/export.xlsx")
@login_required
def receivables_export():
    """The page's table, all of it (aging per customer or salesperson, or open terms);
    audited."""
    policy.require(Action.EXPORT, Contract)
    form, scoped = _request()
    _subject(form)
    title, headers, rows = export_table(scoped, form.view.data, form.customer.data,
                                        form.owner.data)
    return send_table(title, headers, rows, "receivables.xlsx", object_type="Receivables",
                      totals=(*(label for _name, label in service.BUCKETS), _("合计"),
                              _("金额"), _("已收"), _("未收")), form=form)


sales_section(55, _l("销售合同统计台账"), "sales.statistics_list", Contract,
              _l("表5-21：期间内签订的合同及其货款回收记录"))


def _period():
    """The period form, its policy-scoped contracts and payments, and the filters (the year
    to date by default); an invalid period is answered with 422 and the form's messages."""
    form = PeriodForm(request.args)
    form.validate()
    today = local_today()
    start, end = form.period(today.replace(month=1, day=1), today)
    valid = not form.errors
    filters = PeriodFilters(start, end, form.owner.data if current_user.role != Role.STAFF
                            else None, form.after.data or None, form.before.data or None)
    return form, valid, in_scope(Contract), in_scope(Payment), filters


@bp.get("/statistics/")
@login_required
def statistics_list():
    """表5-21 for a period: the contracts in force signed in it, numbered, with their lines,
    amounts and payment history; period totals."""
    policy.require(Action.VIEW, Contract)
    form, valid, scoped, payments, filters = _period()
    result = statistics(scoped, payments, filters) if valid else None
    return render(STATISTICS, "results", status=200 if valid else 422, form=form,
                  result=result, filters=filters,
                  owners=owner_options() if current_user.role != Role.STAFF else [])


@bp.get("/statistics/export.xlsx")
@login_required
def statistics_export():
    """表5-21 of the period as on the page, every row; audited. A bad period is 422."""
    policy.require(Action.EXPORT, Contract)
    form, valid, scoped, payments, filters = _period()
    if not valid:
        abort(422)
    headers, rows = statistics_table(scoped, payments, filters)
    return send_table(_("销售合同统计台账"), headers, rows, "contract-statistics.xlsx",
                      object_type="Contract", totals=(_("成交金额"), _("已回款")), form=form)
