"""借阅 (/archive/loans/): the list and its export, the request and a loan's page. Thin views:
the rules live in app/policy/archive/loans.py and app/services/archive/loans/; the archivist's
hand-out and return and the borrower's renewal are in action_routes, reading in viewer_routes."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import form_status, scoped_list, send_table, show_refusal
from app.blueprints._once import once
from app.blueprints.archive import bp
from app.blueprints.archive.loans.forms import LoanFilterForm, LoanForm, ReturnForm
from app.extensions import db
from app.htmx import redirect, render
from app.models.archive import ArchiveLoan
from app.navigation import archive_section
from app.parsing import BadInput, to_id
from app.policy import Action
from app.services.approvals.engine import ApprovalError
from app.services.archive.loans import execution, lists, requests
from app.services.archive.loans.requests import ItemHidden, LoanRefused

archive_section(30, _l("借阅"), "archive.loan_list", ArchiveLoan,
                _l("借阅申请与审批、在线查阅、复制、纸质外借与归还、逾期"))


def _filters(form: LoanFilterForm) -> lists.LoanFilters:
    value = form.checked()
    return lists.LoanFilters(q=value["q"] or "", status=value["status"] or "",
                             method=value["method"] or "", after=value["after"] or None,
                             before=value["before"] or None)


@bp.get("/loans/")
@login_required
def loan_list():
    """The loans the user may see (their own; a manager's department's; every loan for the
    archivist and the GM), newest first."""
    scoped = scoped_list(ArchiveLoan)
    form = LoanFilterForm(request.args)
    return render("archive/loans/list.html", "results", form=form,
                  listing=lists.listing(scoped, _filters(form)), status_of=lists.shown_status,
                  can_create=policy.can(current_user, Action.CREATE, ArchiveLoan))


@bp.get("/loans/export.xlsx")
@login_required
def loan_export():
    """The list as filtered on the page, every page; audited."""
    scoped = scoped_list(ArchiveLoan, Action.EXPORT)
    form = LoanFilterForm(request.args)
    headers, rows = lists.export_table(scoped, _filters(form))
    return send_table(_("档案借阅登记"), headers, rows, "archive-loans.xlsx",
                      object_type="ArchiveLoan", form=form)


def _asked_ids() -> list[int]:
    """The items a request opened from the catalogue names (?item_id=…, repeatable)."""
    ids = [to_id(value) for value in request.args.getlist("item_id") if value.strip()]
    if None in ids:
        raise BadInput(_("链接中的参数 item_id 不是有效的编号，请从页面上的链接进入。"))
    return list(dict.fromkeys(ids))


def _hidden(error: ItemHidden):
    """404 for an item the requester may not know of (audited when it exists)."""
    if error.item is not None:
        policy.deny(404, error.item, Action.BORROW)
    abort(404)


def _submitted(loans: list[ArchiveLoan]):
    if len(loans) == 1:
        flash(_("借阅申请已提交审批。"), "success")
        return redirect(url_for("archive.loan_detail", loan_id=loans[0].id))
    flash(_("所选档案属于 %(n)d 个部门，已按部门分为 %(n)d 份借阅申请，分别审批。",
            n=len(loans)), "success")
    return redirect(url_for("archive.loan_list"))


@bp.route("/loans/new", methods=["GET", "POST"])
@login_required
@once
def loan_new():
    """Asks for a loan (staff and managers): items, method, purpose, period; 404 for an item
    above the user's clearance; refuses a blank purpose, a period outside 1–30 days, a
    destroyed item and a loan the user already has."""
    policy.require(Action.CREATE, ArchiveLoan)
    form = LoanForm()
    if request.method == "GET":
        form.item_id.data = _asked_ids()
    try:
        if form.validate_on_submit():
            try:
                loans = requests.request_loans(form.data_of(), current_user)
            except (LoanRefused, ApprovalError) as refusal:
                db.session.rollback()
                show_refusal(form, refusal)
            else:
                db.session.commit()
                return _submitted(loans)
        chosen = requests.requested_items(current_user, form.item_id.data or [], [])
    except ItemHidden as error:
        db.session.rollback()
        return _hidden(error)
    return render("archive/loans/form.html", "form", status=form_status(), form=form,
                  chosen=chosen)


@bp.get("/loans/<int:loan_id>")
@login_required
def loan_detail(loan_id: int):
    """One loan: its items, approval, period, hand-out and return; what the user may do."""
    loan = lists.load_page(policy.load(ArchiveLoan, loan_id, Action.VIEW))
    return render("archive/loans/detail.html", loan=loan, approval=lists.approval_of(loan),
                  shown=lists.shown_status(loan), return_form=ReturnForm(),
                  renewable=execution.renewable_days(loan),
                  can_read=policy.can(current_user, Action.READ_CONTENT, loan),
                  can_renew=(policy.can(current_user, Action.BORROW, loan)
                             and execution.is_running(loan)),
                  can_execute=policy.can(current_user, Action.EDIT, loan),
                  overdue=execution.is_overdue(loan))
