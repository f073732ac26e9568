"""The people a customer can belong to: active sales staff and managers, for the customer
forms' owner choice, the import's owner column and the lists' owner filters."""

from sqlalchemy import bindparam, select

from app.extensions import db
from app.models import Department, DeptCode, Role, User
from app.services.core.loading import read_rows


def sales_owners(department_id: int | None = None) -> list[User]:
    """Active sales staff and managers: the people a customer can belong to."""
    query = (select(User).join(User.department)
             .where(User.active.is_(True), User.role.in_((Role.STAFF, Role.MANAGER)))
             .order_by(User.full_name))
    if department_id:
        query = query.where(User.department_id == department_id)
    else:
        query = query.where(User.department.has(code=DeptCode.SALES))
    return list(db.session.scalars(query))


# Built once: every customer list page asks it.
_OWNER_OPTIONS = (select(User.id, User.full_name).join(User.department)
                  .where(Department.code == DeptCode.SALES, User.active.is_(True),
                         User.role.in_((Role.STAFF, Role.MANAGER)))
                  .order_by(User.full_name))


# Likewise for one department's (a manager's lists), the department bound when it runs.
_DEPARTMENT_OWNER_OPTIONS = (select(User.id, User.full_name)
                             .where(User.department_id == bindparam("department"),
                                    User.active.is_(True),
                                    User.role.in_((Role.STAFF, Role.MANAGER)))
                             .order_by(User.full_name))


def owner_options(department_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the people customers can belong to, of one department if given, for the
    lists' owner filters (names only: a department's hundred users as entities cost more
    than the rest of the page)."""
    if department_id is None:
        return [tuple(row) for row in read_rows(_OWNER_OPTIONS)]
    return [tuple(row) for row in
            read_rows(_DEPARTMENT_OWNER_OPTIONS, {"department": department_id})]
