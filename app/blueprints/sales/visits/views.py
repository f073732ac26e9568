"""What the visit pages share: the owner filter, the audited export, the customer picker."""

from flask_babel import gettext as _
from flask_login import current_user

from app import policy
from app.blueprints._kit import export_changes, in_scope, send_table
from app.models import Contact, Customer, Role, VisitPlan, VisitReport
from app.policy import Action
from app.services.customers import owners
from app.services.customers.contacts import contacts_of
from app.services.sales.visits import operations as visits


def owner_options() -> list[tuple[int, str]]:
    """The salespeople a manager (their department) or the GM may filter by; none for staff."""
    if current_user.role == Role.MANAGER:
        return owners.owner_options(current_user.department_id)
    if current_user.role == Role.GM:
        return owners.owner_options()
    return []


def rights() -> dict:
    """Whether the user may plan visits and record reports (the create buttons)."""
    return {"can_plan": policy.can(current_user, Action.CREATE, VisitPlan),
            "can_report": policy.can(current_user, Action.CREATE, VisitReport)}


def owner_filter(form) -> int | None:
    """The owner filter, only for those who may choose one (staff see only their own)."""
    value = form.owner.data if not form.owner.errors else None
    return value if value and current_user.role != Role.STAFF else None


def send_visit_table(title: str, headers, rows, ascii_name: str):
    """A visit export, audited; its five tables share one object type, so the event keeps the
    path that tells them apart."""
    return send_table(title, headers, rows, ascii_name, object_type="Visit",
                      changes=export_changes(with_path=True))


def customer_scope():
    """The customers the user may see in full: those visits can be recorded for."""
    return in_scope(Customer)


def chosen_customer(form, current: Customer | None = None) -> Customer | None:
    """The form's customer if the user may choose it (or it is the record's own); else an
    error on the field and None."""
    if form.customer.data is None:
        return None
    if current is not None and form.customer.data == current.id:
        return current
    customer = visits.customer_in(customer_scope(), form.customer.data)
    if customer is None:
        form.customer.errors = [*form.customer.errors, _("请选择您负责范围内的客户。")]
    return customer


def set_customer_choices(form, customer: Customer | None) -> None:
    """The chosen customer, as the picker shows it (the picker searches the others:
    customers.customer_pick)."""
    form.customer.choices = [(c.id, f"{c.name}（{c.number}）") for c in (customer,) if c]


def contact_names(customer: Customer | None) -> list[Contact]:
    """The customer's contacts, offered when typing the contact's name."""
    return contacts_of(customer.id) if customer is not None else []
