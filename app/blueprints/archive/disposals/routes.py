"""销毁 (/archive/disposals/): the lists and their export, the due list (到期待销毁) from which the
archivist drafts a new list (POST `item_ids`, repeatable) and its export, and a list's page.
Thin views: the rules live in app/policy/archive/disposals.py and
app/services/archive/disposals/; a list above the user's clearance is 404."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import form_status, in_scope, scoped_list, send_table, show_refusal
from app.blueprints._once import once
from app.blueprints.archive import bp
from app.blueprints.archive.disposals.forms import DisposalFilterForm, DisposalForm, DueFilterForm
from app.blueprints.archive.disposals.pages import detail_page
from app.extensions import db
from app.htmx import redirect, render
from app.models.archive import ArchiveItem, DisposalList
from app.navigation import archive_section
from app.policy import Action
from app.services.approvals.engine import ApprovalError
from app.services.archive.disposals import due, lists, operations
from app.services.archive.disposals.operations import DisposalRefused
from app.services.archive.holds.lists import kind_choices

archive_section(50, _l("销毁"), "archive.disposal_list", DisposalList,
                _l("到期档案鉴定、销毁清单审批、等待期、执行与销毁证明；销毁清册"))


def _filters(form: DisposalFilterForm) -> lists.DisposalFilters:
    value = form.checked()
    return lists.DisposalFilters(status=value["status"] or "", department=value["department"],
                                 after=value["after"] or None, before=value["before"] or None)


def _departments() -> list[tuple[str, str]]:
    return [(str(number), label) for number, label in due.department_choices()]


@bp.get("/disposals/")
@login_required
def disposal_list():
    """The disposal lists the user may see (the archivist's and the GM's: all; a manager's:
    their department's), newest first."""
    scoped = scoped_list(DisposalList)
    form = DisposalFilterForm(request.args)
    return render("archive/disposals/list.html", "results", form=form,
                  listing=lists.listing(scoped, _filters(form)), departments=_departments(),
                  can_create=policy.can(current_user, Action.CREATE, DisposalList))


@bp.get("/disposals/export.xlsx")
@login_required
def disposal_export():
    """The lists as filtered on the page, every page; audited."""
    scoped = scoped_list(DisposalList, Action.EXPORT)
    form = DisposalFilterForm(request.args)
    headers, rows = lists.export_table(scoped, _filters(form))
    return send_table(_("档案销毁清单"), headers, rows, "archive-disposals.xlsx",
                      object_type="DisposalList", form=form)


def _due_filters(form: DueFilterForm) -> due.DueFilters:
    value = form.checked()
    return due.DueFilters(department=value["department"], kind=value["kind"] or "",
                          after=value["after"] or None, before=value["before"] or None)


@bp.route("/disposals/new", methods=["GET", "POST"])
@login_required
@once
def disposal_new():
    """The due list (items past their retention, not held, not lent, on no other list), and
    the archivist's new list of the ticked ones, sent for review; refuses nothing ticked,
    items of several departments and items no longer due."""
    policy.require(Action.CREATE, DisposalList)
    form, filters = DisposalForm(), DueFilterForm(request.args)
    scoped_items = in_scope(ArchiveItem)
    if form.validate_on_submit():
        try:
            disposal = operations.create(scoped_items, form.item_ids.data, form.appraisal.data,
                                         current_user)
        except (DisposalRefused, ApprovalError) as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("销毁清单已提交：档案所属部门经理审核、总经理批准后进入等待期。"),
                  "success")
            return redirect(url_for("archive.disposal_detail", disposal_id=disposal.id))
    return render("archive/disposals/new.html", "results", status=form_status(), form=form,
                  filters=filters, listing=due.listing(scoped_items, _due_filters(filters)),
                  departments=_departments(), kinds=kind_choices())


@bp.get("/disposals/due.xlsx")
@login_required
def disposal_due_export():
    """The due list as filtered, every page; audited."""
    policy.require(Action.CREATE, DisposalList)
    filters = DueFilterForm(request.args)
    headers, rows = due.export_table(in_scope(ArchiveItem, Action.EXPORT),
                                     _due_filters(filters))
    return send_table(_("到期待销毁档案"), headers, rows, "archive-due.xlsx",
                      object_type="ArchiveItem", form=filters)


@bp.get("/disposals/<int:disposal_id>")
@login_required
def disposal_detail(disposal_id: int):
    """One list: its items with their decisions and outcomes, its approval, its waiting
    period, execution and certificate; 404 above the user's clearance or outside their
    department."""
    return detail_page(policy.load(DisposalList, disposal_id, Action.VIEW))
