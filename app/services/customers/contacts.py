"""A customer's contact people (联系人): exactly one primary while any exist; phones masked
everywhere, revealed one at a time with a reason; every change audited (phones as "changed")."""

from dataclasses import asdict, dataclass

from sqlalchemy import select, update

from app.extensions import db
from app.models import Contact, Customer, User
from app.services.core import audit
from app.services.core.edits import check_stamp
from app.services.core.pii import mask_phone

FIELDS = ("name", "title", "phone", "mobile", "email", "notes")


@dataclass
class ContactData:
    name: str
    title: str | None = None
    phone: str | None = None  # None on an edit: unchanged (personal data is never sent back)
    mobile: str | None = None
    email: str | None = None
    notes: str | None = None
    is_primary: bool = False
    clear_phone: bool = False
    clear_mobile: bool = False


def masked(contact: Contact, field: str) -> str:
    """A contact's phone or mobile, masked (138****5678)."""
    if field not in Contact.PII_FIELDS:
        raise ValueError(field)
    return mask_phone(getattr(contact, field))


def contacts_of(customer_id: int) -> list[Contact]:
    """The customer's contacts, the primary one first, then in the order they were added."""
    query = (select(Contact).where(Contact.customer_id == customer_id)
             .order_by(Contact.is_primary.desc(), Contact.id))
    return list(db.session.scalars(query))


def _lock_customer(customer_id: int) -> None:
    """Serialises primary changes of one customer (a row lock on PostgreSQL; SQLite has one
    writer anyway), so two saves cannot leave two primaries or none."""
    db.session.execute(select(Customer.id).where(Customer.id == customer_id).with_for_update())


def _label(contact: Contact) -> str:
    """The audit label: whose contact it is, and the name."""
    return f"{contact.customer.number} {contact.name}"


def _snapshot(contact: Contact) -> dict:
    return {**{field: getattr(contact, field) for field in FIELDS},
            "is_primary": bool(contact.is_primary)}


def _unmark_others(contact: Contact) -> None:
    db.session.execute(update(Contact).where(Contact.customer_id == contact.customer_id,
                                             Contact.id != contact.id,
                                             Contact.is_primary.is_(True))
                       .values(is_primary=False).execution_options(synchronize_session="fetch"))


def create_contact(customer: Customer, data: ContactData, actor: User) -> Contact:
    """Adds a contact; the first one, or one marked primary, becomes the only primary."""
    _lock_customer(customer.id)
    values = {k: v for k, v in asdict(data).items() if k in FIELDS}
    has_primary = db.session.scalar(select(Contact.id).where(
        Contact.customer_id == customer.id, Contact.is_primary.is_(True)).limit(1))
    contact = Contact(customer=customer, **values,
                      is_primary=bool(data.is_primary or has_primary is None))
    db.session.add(contact)
    db.session.flush()
    if contact.is_primary:
        _unmark_others(contact)
    audit.record("contact_created", contact, actor=actor, object_label=_label(contact),
                 changes=audit.field_changes({}, _snapshot(contact), Contact.PII_FIELDS))
    return contact


def _wanted(contact: Contact, data: ContactData) -> dict:
    """The edit's values; a blank phone keeps the stored one unless it is to be cleared."""
    values = {k: v for k, v in asdict(data).items() if k in FIELDS}
    for field in Contact.PII_FIELDS:
        if values[field] is None and not getattr(data, f"clear_{field}"):
            values[field] = getattr(contact, field)
    return values


def update_contact(contact: Contact, data: ContactData, expected_stamp: str,
                   actor: User) -> dict:
    """Saves an edit made on `expected_stamp` (edits.stamp); raises EditConflict if it is stale.
    Marking it primary unmarks the others; the primary cannot be unmarked (mark another one
    instead)."""
    _lock_customer(contact.customer_id)
    check_stamp(contact, expected_stamp)
    before = _snapshot(contact)
    for field, value in _wanted(contact, data).items():
        setattr(contact, field, value)
    if data.is_primary and not contact.is_primary:
        contact.is_primary = True
        _unmark_others(contact)
    changes = audit.field_changes(before, _snapshot(contact), Contact.PII_FIELDS)
    if changes:
        db.session.flush()
        audit.record("contact_updated", contact, changes=changes, actor=actor,
                     object_label=_label(contact))
    return changes


def make_primary(contact: Contact, actor: User) -> None:
    """Makes `contact` the customer's primary contact and unmarks the others."""
    _lock_customer(contact.customer_id)
    db.session.refresh(contact)
    if contact.is_primary:
        return
    contact.is_primary = True
    _unmark_others(contact)
    db.session.flush()
    audit.record("contact_updated", contact, actor=actor, object_label=_label(contact),
                 changes={"is_primary": [False, True]})


def delete_contact(contact: Contact, actor: User) -> None:
    """Deletes a contact; if it was the primary one, the earliest remaining becomes primary."""
    _lock_customer(contact.customer_id)
    before = _snapshot(contact)
    customer_id, was_primary = contact.customer_id, contact.is_primary
    audit.record("contact_deleted", contact, actor=actor, object_label=_label(contact),
                 changes=audit.field_changes(before, dict.fromkeys(before), Contact.PII_FIELDS))
    db.session.delete(contact)
    db.session.flush()
    if was_primary:
        successor = db.session.scalar(select(Contact).where(Contact.customer_id == customer_id)
                                      .order_by(Contact.id).limit(1))
        if successor is not None:
            successor.is_primary = True
            db.session.flush()
            audit.record("contact_updated", successor, actor=actor,
                         object_label=_label(successor), changes={"is_primary": [False, True]})


def reveal(contact: Contact, field: str, reason: str, actor: User) -> str:
    """One phone of a contact in clear; records who saw which field and why, never the value."""
    if field not in Contact.PII_FIELDS:
        raise ValueError(field)
    audit.record("reveal_pii", contact, changes={"field": field, "reason": reason}, actor=actor,
                 object_label=_label(contact))
    return getattr(contact, field) or ""
