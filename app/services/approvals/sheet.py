"""The approval request's print: 审批单 with the frozen steps, the content hash, the proposed
changes of a change request and every signature."""

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.models import ApprovalRequest, User
from app.services.approvals import engine as approvals
from app.services.approvals.pages import REQUEST_LOADS
from app.services.approvals.signatures import chain_problems
from app.services.approvals.steps import frozen_steps
from app.services.core.loading import load_related
from app.services.core.pdf import Printed, render, watermark


def approval_sheet(request: ApprovalRequest, viewer: User) -> Printed:
    """审批单 of one request: steps, content hash and every signature; the print is audited."""
    load_related([request], *REQUEST_LOADS, joinedload(ApprovalRequest.department))
    data = render("pdf/approvals/sheet.html", req=request, steps=frozen_steps(request),
                  flow=approvals.flow_label(request.flow_kind), changes=proposed_changes(request),
                  chain_intact=not chain_problems(request), level=request.confidentiality,
                  watermark=watermark(request.confidentiality, viewer))
    return Printed.named(data, _("审批单"), "approval", str(request.id)).audited(
        request, viewer, object_label=f"#{request.id} {request.title}")


def proposed_changes(request: ApprovalRequest) -> list:
    """A change request's fields as old → new values (each with label, old, new), from its
    record kind's `changes`; kinds that change nothing have none."""
    kind = approvals.kind_of(request)
    changes = getattr(kind, "changes", None)
    return changes(approvals.record_of(request)) if changes else []
