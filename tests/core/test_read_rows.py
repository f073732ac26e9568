"""read_rows (services.core.loading): the rows of a statement of columns as named tuples, which
templates read by name without the cost of SQLAlchemy's Row; they must read as Row reads."""

from datetime import date
from decimal import Decimal

from sqlalchemy import literal, select, type_coerce

from app.extensions import db
from app.models import Level
from app.models.base import LevelType, Money
from app.services.core.loading import read_rows

COLUMNS = (literal(7).label("id"), literal("李明").label("name"),
           type_coerce(literal(3), LevelType(Level)).label("confidentiality"),
           type_coerce(literal("12.50"), Money).label("amount"),
           literal(date(2026, 1, 2)).label("day"))


def test_a_row_reads_by_name_index_and_unpacking_as_sqlalchemy_does(app):
    """Rule: each value as the column's type gives it (a level, an amount), by name, by
    position and unpacked, in the statement's order."""
    with app.app_context():
        statement = select(*COLUMNS)
        [row] = read_rows(statement)
        [reference] = db.session.execute(statement).all()
        assert tuple(row) == tuple(reference)
        assert (row.id, row.name, row.confidentiality, row.amount, row.day) == (
            7, "李明", Level.SECRET, Decimal("12.50"), date(2026, 1, 2))
        assert row[-1] == date(2026, 1, 2) and row._asdict()["name"] == "李明"
        identifier, *_rest = row
        assert identifier == 7 and type(row.confidentiality) is Level


def test_a_column_named_by_a_keyword_is_still_read_by_its_name(app):
    """A code such as "return" (a ledger kind) can label a column: it cannot name a field of a
    tuple, so those rows stay SQLAlchemy's and still read by name."""
    with app.app_context():
        [row] = read_rows(select(literal(1).label("return"), literal(2).label("sale")))
        assert row._asdict() == {"return": 1, "sale": 2} and row.sale == 2


def test_two_columns_labelled_alike_are_still_read(app):
    """Two columns may carry the same label (SQLAlchemy keeps both names): no tuple can have
    both as fields, so those rows stay SQLAlchemy's and read by position."""
    with app.app_context():
        [row] = read_rows(select(literal(1).label("a"), literal(2).label("a"),
                                 literal(3).label("b")))
        assert tuple(row) == (1, 2, 3) and row.b == 3
