"""Auditors list and filter audit events, export what they filtered and check the hash chain."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Select

from app import policy
from app.blueprints._kit import scoped_list, send_table
from app.blueprints._picker import options, search_text
from app.blueprints.audit import bp
from app.blueprints.audit.forms import AuditFilterForm
from app.forms import EmptyForm
from app.htmx import render
from app.models import AuditEvent
from app.policy import Action
from app.services.core.audit import actor_label, verify_chain
from app.services.core.audit_queries import (
    PAGE_COLUMNS,
    actors_matching,
    export_headers,
    export_rows,
    filter_choices,
    filtered_events,
    shown,
)
from app.services.core.pagination import Sort, keyset_page
from app.services.customers.picker import Found

LIST = "audit/event/list.html"


def _filtered(form: AuditFilterForm) -> Select:
    """The events the auditor may see (403 for anyone else), filtered by the form."""
    return filtered_events(scoped_list(AuditEvent), form.filters(), current_user.clearance)


@bp.get("/")
@login_required
def event_list():
    """The audit trail, newest first, filtered; auditors only. Events about records above the
    auditor's clearance show without the record's name, number or values."""
    query = _filtered(form := AuditFilterForm(request.args))
    page = keyset_page(query.with_only_columns(*PAGE_COLUMNS), AuditEvent,
                       Sort(AuditEvent.id, True), after=form.after.data or None,
                       before=form.before.data or None, size=50, as_rows=True)
    return render(LIST, "results", form=form.offer(filter_choices()), page=page,
                  verify_form=EmptyForm(), rows=shown(page.rows, current_user.clearance))


@bp.get("/export.xlsx")
@login_required
def event_export():
    """The filtered trail (every page) as a workbook, under the same clearance rule; the export
    is itself an audit event."""
    query = _filtered(form := AuditFilterForm(request.args))
    return send_table(_("审计日志"), export_headers(),
                      export_rows(query, current_user.clearance), "audit.xlsx",
                      object_type="AuditEvent", form=form.offer(filter_choices()))


@bp.get("/actors")
@login_required
def actor_pick():
    """The user filter's picker (htmx): the users whose name, username or employee number
    holds what was typed, former users too; auditors only, as the trail. At most ten, by
    name."""
    policy.require(Action.VIEW, AuditEvent)
    found = Found(*actors_matching(search_text()))
    return options(found, lambda user: (user.id, actor_label(user), user.employee_no),
                   _("没有找到匹配的操作人。"))


@bp.post("/verify")
@login_required
def chain_verify():
    """Recomputes the hash chain and shows whether it is intact."""
    policy.require(Action.VIEW, AuditEvent)
    return render("audit/event/_verify.html", report=verify_chain())
