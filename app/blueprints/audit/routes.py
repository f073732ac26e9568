"""Auditors list and filter audit events and check the hash chain."""

from flask import request
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policy
from app.blueprints.audit import bp
from app.blueprints.audit.forms import AuditFilterForm
from app.forms import EmptyForm
from app.htmx import render
from app.models import AuditEvent
from app.policy import Action
from app.services.core.audit import verify_chain
from app.services.core.audit_queries import AuditFilters, filtered_events, shown
from app.services.core.pagination import Sort, keyset_page

LIST = "audit/event/list.html"
KNOWN_ACTIONS = ("login", "login_failed", "logout", "account_locked", "access_denied",
                 "customer_created", "customer_updated", "reveal_pii", "password_changed",
                 "password_reset", "user_created", "user_updated", "user_deactivated",
                 "user_activated", "grant_requested", "rights_granted", "rights_revoked",
                 "rights_changed", "session_ended", "sessions_ended", "login_refused_locked",
                 "signing_locked", "sign_refused_locked")


def _filters(form: AuditFilterForm) -> AuditFilters:
    form.validate()
    return AuditFilters(
        actor=form.actor.data or "", action=form.action.data or "",
        object_type=form.object_type.data or "",
        object_id=form.object_id.data if not form.object_id.errors else None,
        object_label=form.object_label.data or "",
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None)


@bp.get("/")
@login_required
def event_list():
    """The audit trail, newest first, filtered; auditors only. Events about records above the
    auditor's clearance show without the record's name, number or values."""
    policy.require(Action.VIEW, AuditEvent)
    form = AuditFilterForm(request.args)
    query = filtered_events(policy.scope(select(AuditEvent), current_user, AuditEvent),
                            _filters(form), current_user.clearance)
    page = keyset_page(query, AuditEvent, Sort(AuditEvent.id, True),
                       after=form.after.data or None, before=form.before.data or None, size=50)
    return render(LIST, "results", form=form, page=page, verify_form=EmptyForm(),
                  rows=shown(page.rows, current_user.clearance), known_actions=KNOWN_ACTIONS)


@bp.post("/verify")
@login_required
def chain_verify():
    """Recomputes the hash chain and shows whether it is intact."""
    policy.require(Action.VIEW, AuditEvent)
    return render("audit/event/_verify.html", report=verify_chain())
