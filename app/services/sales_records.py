"""What every sales record shares: it belongs where its customer belongs."""

from app.models import Customer, Level


def inherit_scope(record, customer: Customer, level: Level | None = None) -> None:
    """Copies the customer's owner, department and confidentiality onto a sales record (a
    record may be more confidential than its customer, never less)."""
    record.owner_id = customer.owner_id
    record.department_id = customer.department_id
    record.confidentiality = max(customer.confidentiality, level or customer.confidentiality)
