"""Customer archive review: submit a draft, see a signed version."""

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import flash_outcome
from app.blueprints._once import once
from app.blueprints.customers import bp
from app.htmx import redirect, render
from app.models import Customer
from app.policy import Action
from app.services.approvals import engine as approvals
from app.services.customers.history import signed_fields, versions
from app.services.customers.review import REVIEW_FLOW


@bp.post("/<int:customer_id>/submit")
@login_required
@once
def customer_submit(customer_id: int):
    """Submits a draft for the archive review; the record is frozen until it is decided."""
    customer = policy.load(Customer, customer_id, Action.SUBMIT)
    flash_outcome(lambda: approvals.submit(REVIEW_FLOW, customer, current_user),
                  _("已提交审核，等待部门经理审批。"), approvals.ApprovalError)
    return redirect(url_for("customers.customer_detail", customer_id=customer.id))


@bp.get("/<int:customer_id>/versions/<int:number>")
@login_required
def customer_version(customer_id: int, number: int):
    """An earlier signed version of a customer with the signatures that attested it."""
    customer = policy.load(Customer, customer_id, Action.VIEW)
    history = versions(customer)
    view = next((v for v in history if v.version.number == number), None)
    if view is None:
        abort(404)
    return render("customers/customer/version.html", customer=customer, view=view,
                  fields=signed_fields(view.version), latest=history[0].version.number)
