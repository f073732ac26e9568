"""People: one table of personas, from which every test's team is made."""

from collections.abc import Collection
from dataclasses import dataclass
from types import SimpleNamespace

from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import Department, DeptCode, Level, Role, User
from tests.support import PASSWORD, detached, serial

_hashes: dict[str, str] = {}


@dataclass(frozen=True)
class Persona:
    role: Role
    dept: DeptCode
    clearance: Level
    full_name: str | None = None  # on paper (see make_people's `named`); else the username
    employee_no: str | None = None  # on paper; else the next serial number


PEOPLE = {
    # The demo roles: the policy matrices' personas and the teams of most tests.
    "sales1": Persona(Role.STAFF, DeptCode.SALES, Level.INTERNAL, "李晓明", "S1001"),
    "sales2": Persona(Role.STAFF, DeptCode.SALES, Level.INTERNAL, "周敏", "S1002"),
    "sales3": Persona(Role.STAFF, DeptCode.SALES, Level.INTERNAL),
    "sales_top": Persona(Role.STAFF, DeptCode.SALES, Level.CONFIDENTIAL),
    "sales_mgr": Persona(Role.MANAGER, DeptCode.SALES, Level.SECRET, "王建国", "M2001"),
    "cs1": Persona(Role.STAFF, DeptCode.SERVICE, Level.INTERNAL, "钱客服", "C3001"),
    "cs_mgr": Persona(Role.MANAGER, DeptCode.SERVICE, Level.SECRET),
    "cs2": Persona(Role.STAFF, DeptCode.SERVICE, Level.INTERNAL, "孙服务", "C3002"),
    "risk1": Persona(Role.STAFF, DeptCode.RISK, Level.INTERNAL),
    "gm": Persona(Role.GM, DeptCode.MANAGEMENT, Level.CONFIDENTIAL, "赵总", "G0001"),
    "archivist": Persona(Role.ARCHIVIST, DeptCode.ARCHIVE, Level.SECRET),
    "admin": Persona(Role.ADMIN, DeptCode.IT, Level.CONFIDENTIAL),
    "auditor": Persona(Role.AUDITOR, DeptCode.MANAGEMENT, Level.CONFIDENTIAL),
    # The sales ledger's people.
    "seller": Persona(Role.STAFF, DeptCode.SALES, Level.INTERNAL, "李明"),
    "other": Persona(Role.STAFF, DeptCode.SALES, Level.INTERNAL, "张丽"),
    "top": Persona(Role.STAFF, DeptCode.SALES, Level.CONFIDENTIAL),
    "boss": Persona(Role.MANAGER, DeptCode.SALES, Level.SECRET, "赵强"),
    # Salespeople who leave the company.
    "leaver": Persona(Role.STAFF, DeptCode.SALES, Level.SECRET),
    "top_leaver": Persona(Role.STAFF, DeptCode.SALES, Level.CONFIDENTIAL, "机密离职人员", "E0002"),
    # The browser tests' people.
    "b_sales": Persona(Role.STAFF, DeptCode.SALES, Level.INTERNAL, "钱浩"),
    "b_mgr": Persona(Role.MANAGER, DeptCode.SALES, Level.SECRET, "孔敏"),
}


def _password_hash(app) -> str:
    method = app.config["PASSWORD_HASH_METHOD"]
    if method not in _hashes:
        _hashes[method] = generate_password_hash(PASSWORD, method=method)
    return _hashes[method]


def make_user(app, username: str, role: Role = Role.STAFF, dept: DeptCode = DeptCode.SALES,
              clearance: Level = Level.INTERNAL, **fields) -> User:
    """One user, with the test password; named by username and numbered serially unless told."""
    with app.app_context():
        department = db.session.query(Department).filter_by(code=dept).one()
        user = User(username=username, full_name=fields.pop("full_name", username),
                    employee_no=fields.pop("employee_no", f"E{serial():05d}"),
                    password_hash=_password_hash(app), department=department, role=role,
                    clearance=clearance, **fields)
        db.session.add(user)
        db.session.commit()
        return detached(user)


def _fields(username: str, named: bool, cleared: Level | None, change) -> dict:
    persona = PEOPLE[username]
    fields = {"role": persona.role, "dept": persona.dept,
              "clearance": persona.clearance if cleared is None else cleared}
    if named and persona.full_name:
        fields["full_name"] = persona.full_name
    if named and persona.employee_no:
        fields["employee_no"] = persona.employee_no
    if isinstance(change, Level):
        change = {"clearance": change}
    return {**fields, **(change or {})}


def make_people(app, *usernames: str, named: bool | Collection[str] = False,
                cleared: Level | None = None, **changes: Level | dict) -> dict[str, User]:
    """The personas with these usernames, made in this order, as the table says but for:

    named: who carries the table's full name and employee number (True: everyone); the others
    go by their username and the next serial number. cleared: everyone's clearance instead of
    the table's. changes: by username, that person's clearance or a dict of User fields."""
    return {name: make_user(app, name, **_fields(
        name, named if isinstance(named, bool) else name in named, cleared, changes.get(name)))
        for name in usernames}


def make_team(app, roles: dict[str, str], **options) -> SimpleNamespace:
    """People by role: `roles` maps each role of the team (staff, manager, ...) to a persona
    username; `options` are make_people's."""
    people = make_people(app, *roles.values(), **options)
    return SimpleNamespace(**{role: people[name] for role, name in roles.items()})


def print_team(app) -> SimpleNamespace:
    """A salesperson, their manager and a 客服 colleague (another department: sees the basic card
    only), all cleared for 机密 and named, so prints carry their names and employee numbers."""
    return make_team(app, {"staff": "sales1", "manager": "sales_mgr", "outsider": "cs1"},
                     named=True, cleared=Level.CONFIDENTIAL, cs1={"full_name": "赵客服"})


def deactivate(app, user) -> None:
    """The user leaves the company (what the admin's switch does to the account)."""
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
