"""Optimistic locking of edit forms. A form carries what the record was when it was opened (its
version counter, or its last-change stamp); saving it over a later save raises EditConflict
instead of silently overwriting a colleague's change. No row stays locked while a form is open.
"""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models.base import utcnow
from app.services.core.errors import EditConflict


def stamp(record) -> str:
    """A record's edit stamp (its last change time), carried by the edit form."""
    return record.updated_at.isoformat() if record.updated_at else ""


def check_version(record, expected: int) -> None:
    """Raises EditConflict unless the record is still at the version the form was opened on."""
    if record.version != expected:
        raise EditConflict


def flush_edit() -> None:
    """Writes the pending edit. A save that slipped in after check_version moved the version
    counter, so the write matches no row: rolled back and raised as EditConflict."""
    try:
        db.session.flush()
    except StaleDataError as error:
        db.session.rollback()
        raise EditConflict from error


def check_stamp(record, expected: str) -> None:
    """Reads the record again (the session may hold it as it was when the request began);
    raises EditConflict if its stamp is no longer the one the form was opened on."""
    db.session.refresh(record)
    if stamp(record) != expected:
        raise EditConflict


def update_if_unchanged(record, expected: str, values: dict) -> None:
    """Writes `values` (and a new change time) in one UPDATE that matches the row only while its
    change time is still `expected`: checked and written at once, so of two saves of the same
    form only one wins. Reads the record back; raises EditConflict when nothing was written."""
    model = type(record)
    try:
        expected_at = datetime.fromisoformat(expected)
    except (TypeError, ValueError) as error:  # not a stamp this application wrote
        raise EditConflict from error
    written = db.session.execute(
        update(model).where(model.id == record.id, model.updated_at == expected_at)
        .values(**values, updated_at=utcnow()).execution_options(synchronize_session=False))
    if written.rowcount != 1:
        raise EditConflict
    db.session.refresh(record)
