"""Values as the approval cards of every domain show them (services/*/cards.py): people and
customers by name and number, amounts in figures, old → new rows. Each loader takes every id a
page of inbox rows needs at once, so a page of 50 rows costs the statements a page of 5 does."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import Customer, Department, User
from app.services.core.loading import read_rows

NONE = "—"


@dataclass(frozen=True)
class ChangeRow:
    """One row of a card's old → new table."""

    label: str
    old: str
    new: str


def money(value) -> str:
    """¥1,234.56 from an amount or its text in a snapshot; a negative one as −¥1,234.56, as
    the ledger's lists show credits."""
    amount = Decimal(value)
    return f"−¥{-amount:,.2f}" if amount < 0 else f"¥{amount:,.2f}"


def choice_label(choice: type[Enum], code) -> str:
    """A stored choice code as its label in the reader's language (the code itself if no
    longer a choice, so a card never fails on an old snapshot)."""
    if code is None or code == "":
        return NONE
    try:
        return str(choice(code).label)
    except ValueError:
        return str(code)


def person(user) -> str:
    """张三（E00012）: a person (a user, or a row of their name and number) by name and
    employee number."""
    if user is None:
        return NONE
    return _("%(name)s（%(number)s）", name=user.full_name, number=user.employee_no)


def customer_text(number: str | None, name: str | None) -> str:
    """C2026-0001 华信科技有限公司: a customer by number and name."""
    return " ".join(part for part in (number, name) if part) or NONE


def _wanted(ids: Iterable[int | None]) -> set[int]:
    return {int(i) for i in ids if i is not None}


def users_by_id(ids: Iterable[int | None]) -> dict[int, User]:
    """The users with these ids, each with their department (one statement)."""
    wanted = _wanted(ids)
    if not wanted:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(wanted)))}


# Built once, the ids bound as a list when they run: every inbox page runs them.
_PEOPLE = select(User.id, User.full_name, User.employee_no).where(
    User.id.in_(bindparam("ids", expanding=True)))
_CUSTOMERS = select(Customer.id, Customer.number, Customer.name).where(
    Customer.id.in_(bindparam("ids", expanding=True)))


def people_by_id(ids: Iterable[int | None]) -> dict[int, str]:
    """{user id: person(user)}, for rows that show people by name only (one statement of
    columns: no user entities and their departments)."""
    wanted = _wanted(ids)
    if not wanted:
        return {}
    return {row.id: person(row) for row in read_rows(_PEOPLE, {"ids": sorted(wanted)})}


def customers_by_id(ids: Iterable[int | None]) -> dict[int, str]:
    """{customer id: "number name"} (one statement)."""
    wanted = _wanted(ids)
    if not wanted:
        return {}
    rows = read_rows(_CUSTOMERS, {"ids": sorted(wanted)})
    return {row.id: customer_text(row.number, row.name) for row in rows}


def departments_by_id(ids: Iterable[int | None]) -> dict[int, str]:
    """{department id: its label in the reader's language} (one statement)."""
    wanted = _wanted(ids)
    if not wanted:
        return {}
    found = db.session.scalars(select(Department).where(Department.id.in_(wanted)))
    return {department.id: str(department.label) for department in found}
