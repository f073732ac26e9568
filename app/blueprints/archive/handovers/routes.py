"""归档移交单 (/archive/handovers/): the lists and their export, a new list of the department's
signed records, a list's page (with its filing's progress as a polled fragment), its print and
its lines' export. Thin views: the rules live in app/policy/archive/handovers.py and
app/services/archive/handovers/. The archivist's decisions and the monthly filing are in this
package's decision_routes and run_routes, imported here with the blueprint's list."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import form_status, scoped_list, send_pdf, send_table, show_refusal
from app.blueprints._once import once
from app.blueprints.archive import bp
from app.blueprints.archive.handovers import decision_routes, run_routes  # noqa: F401
from app.blueprints.archive.handovers.forms import (
    HandoverFilterForm,
    NewHandoverForm,
    posted_picks,
)
from app.extensions import db
from app.htmx import redirect, render
from app.models.archive import ArchiveHandover, HandoverLineStatus
from app.navigation import archive_section, sales_section, service_section
from app.policy import Action
from app.policy.archive.handovers import reads_all
from app.services.archive.handovers import eligible, lists, operations, runs
from app.services.archive.handovers.pdf import handover_sheet
from app.services.core.record_kinds import filing_types

_DESCRIPTION = _l("归档移交单：部门移交已审批生效的记录，档案室逐条接收或退回，接收即归档并检测")
archive_section(20, _l("归档移交"), "archive.handover_list", ArchiveHandover, _DESCRIPTION)
sales_section(85, _l("归档移交"), "archive.handover_list", ArchiveHandover, _DESCRIPTION)
service_section(90, _l("归档移交"), "archive.handover_list", ArchiveHandover, _DESCRIPTION)


def _filters(form: HandoverFilterForm) -> lists.HandoverFilters:
    value = form.checked()
    return lists.HandoverFilters(q=value["q"] or "", department=value["department"],
                                 source=value["source"] or "", waiting=value["waiting"] or "",
                                 after=value["after"] or None, before=value["before"] or None)


@bp.get("/handovers/")
@login_required
def handover_list():
    """The lists the user may read (their department's; every one for the archivist and the
    GM), newest first, with each list's outcome counts."""
    scoped = scoped_list(ArchiveHandover)
    form = HandoverFilterForm(request.args)
    return render("archive/handovers/list.html", "results", form=form,
                  listing=lists.listing(scoped, _filters(form), current_user),
                  departments=lists.department_choices() if reads_all(current_user) else [],
                  can_create=policy.can(current_user, Action.CREATE, ArchiveHandover),
                  can_run=policy.can(current_user, Action.MANAGE, ArchiveHandover))


@bp.get("/handovers/export.xlsx")
@login_required
def handover_export():
    """The lists as filtered on the page, every page, with their counts; audited."""
    scoped = scoped_list(ArchiveHandover, Action.EXPORT)
    form = HandoverFilterForm(request.args)
    headers, rows = lists.export_table(scoped, _filters(form), current_user)
    return send_table(_("归档移交单"), headers, rows, "archive-handovers.xlsx",
                      object_type="ArchiveHandover", form=form)


@bp.route("/handovers/new", methods=["GET", "POST"])
@login_required
@once
def handover_new():
    """A new list of the department's signed, unfiled records of one kind at a time (the
    picker offers only what the user may see); refuses any other record."""
    policy.require(Action.CREATE, ArchiveHandover)
    kinds = filing_types()
    kind = request.values.get("record_kind") or request.args.get("kind") or kinds[0]
    form = NewHandoverForm()
    if form.validate_on_submit():
        try:
            handover = operations.submit(current_user, posted_picks(), form.note.data)
        except operations.HandoverRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("移交单已提交，等待档案室接收。"), "success")
            return redirect(url_for("archive.handover_detail", handover_id=handover.id))
    candidates = eligible.offered(current_user, kind) if kind in kinds else []
    return render("archive/handovers/form.html", "form", status=form_status(), form=form,
                  kinds=[(k, lists.kind_label(k)) for k in kinds], kind=kind,
                  candidates=candidates, limit=eligible.PICKER_LIMIT,
                  picked=set(request.form.getlist("record_id")),
                  all_checked=request.args.get("all") == "1")


@bp.get("/handovers/<int:handover_id>")
@login_required
def handover_detail(handover_id: int):
    """One list: its lines as the reader may see them (above their clearance: not shown), the
    outcome summary and its filing's progress (the `status` block, polled while it runs); 404
    outside the reader's department."""
    handover = policy.load(ArchiveHandover, handover_id, Action.VIEW)
    page = lists.load_page(handover, current_user)
    may_decide = policy.can(current_user, Action.MANAGE, handover)
    return render("archive/handovers/detail.html", "status", page=page, handover=handover,
                  may_decide=may_decide, running=runs.running(page.run),
                  waiting=[x for x in page.lines if x.status == HandoverLineStatus.PENDING],
                  all_checked=request.args.get("all") == "1", kind_label=lists.kind_label,
                  period=lists.period_label(handover))


@bp.get("/handovers/<int:handover_id>/print.pdf")
@login_required
def handover_print(handover_id: int):
    """归档移交单 printed, with the lines the reader may see; audited."""
    handover = policy.load(ArchiveHandover, handover_id, Action.PRINT)
    return send_pdf(handover_sheet(lists.load_page(handover, current_user), current_user))


@bp.get("/handovers/<int:handover_id>/export.xlsx")
@login_required
def handover_lines_export(handover_id: int):
    """The list's lines the reader may see, as a workbook; audited."""
    handover = policy.load(ArchiveHandover, handover_id, Action.EXPORT)
    headers, rows = lists.line_table(lists.load_page(handover, current_user))
    return send_table(_("归档移交单明细"), headers, rows, "archive-handover-lines.xlsx",
                      object_type="ArchiveHandover", changes={"number": handover.number})

