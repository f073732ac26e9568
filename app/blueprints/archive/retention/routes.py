"""保管期限表 (/archive/retention/): the schedule per record kind with its recompute run, its
history of changes, their exports and the printed schedule. Read by the administrator, the
archivist and the GM (app/policy/archive/retention.py); the forms are in edit_routes."""

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import send_pdf, send_table
from app.blueprints.archive import bp
from app.htmx import render
from app.models.archive import RetentionRule
from app.navigation import archive_section
from app.policy import Action
from app.services.archive import schedule, schedule_runs, schedule_views

archive_section(70, _l("保管期限"), "archive.retention_list", RetentionRule,
                _l("各类档案的保管期限与起算事件，修改后自动重算在库档案的到期日"))


@bp.get("/retention/")
@login_required
def retention_list():
    """The schedule, the kinds that still need a rule, the latest changes and the last
    recompute run."""
    policy.require(Action.VIEW, RetentionRule)
    rows = schedule.rows()
    return render("archive/retention/list.html", rows=rows,
                  editors=schedule_views.editors(rows), unset=schedule.unset_types(),
                  changes=schedule_views.recent_changes(), run=schedule_runs.latest(),
                  period_text=schedule_views.period_text, years_text=schedule.years_text,
                  kind_label=schedule.kind_label,
                  may_edit=policy.can(current_user, Action.MANAGE, RetentionRule))


@bp.get("/retention/export.xlsx")
@login_required
def retention_export():
    """The schedule as a workbook; audited."""
    policy.require(Action.EXPORT, RetentionRule)
    headers, rows = schedule_views.schedule_table()
    return send_table(_("档案保管期限表"), headers, rows, "retention-schedule.xlsx",
                      object_type="RetentionRule")


@bp.get("/retention/print.pdf")
@login_required
def retention_print():
    """The schedule printed (档案保管期限表); audited."""
    policy.require(Action.PRINT, RetentionRule)
    return send_pdf(schedule_views.schedule_sheet(current_user))


@bp.get("/retention/history")
@login_required
def retention_history():
    """Every change of the schedule, newest first, a page at a time."""
    policy.require(Action.VIEW, RetentionRule)
    page, total, capped = schedule_views.history_page(request.args.get("after"),
                                                      request.args.get("before"))
    return render("archive/retention/history.html", page=page, total=total, capped=capped,
                  kind_label=schedule.kind_label, period_text=schedule_views.period_text)


@bp.get("/retention/history.xlsx")
@login_required
def retention_history_export():
    """Every change of the schedule as a workbook; audited."""
    policy.require(Action.EXPORT, RetentionRule)
    headers, rows = schedule_views.history_table()
    return send_table(_("保管期限变更记录"), headers, rows, "retention-history.xlsx",
                      object_type="RetentionRule")
