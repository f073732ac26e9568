"""服务编号 = customer number + a per-customer sequence (2026-TECH-001-001): the sequence is an
int from a counter row incremented in the inserting transaction, so it grows past 999 and a
number is never given twice, even when the record that took it is rolled back later."""

from app.models import Customer
from app.services.core.numbering import next_value


def counter_key(customer_id: int) -> str:
    return f"service_record:{customer_id}"


def next_number(customer: Customer) -> tuple[str, int]:
    """(number, sequence) of the customer's next service record; the counter stays locked
    until the caller's commit."""
    sequence = next_value(counter_key(customer.id))
    return f"{customer.number}-{sequence:03d}", sequence
