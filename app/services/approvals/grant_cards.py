"""What the signer of an account grant (账户授权) reads: the account and who asked, by name and
employee number, and the rights asked as old → new rows (role, department, clearance, account
state, a temporary password), with the labels of the grant page, from the frozen snapshot."""

from flask_babel import lazy_gettext as _l

from app.models import Level, Role
from app.services.core.card_values import (
    NONE,
    ChangeRow,
    choice_label,
    departments_by_id,
    people_by_id,
    person,
    users_by_id,
)
from app.services.core.record_kinds import Card, Figure

TEMPLATE = "admin/grant/_card.html"


def _rights_rows(snapshot: dict, departments: dict[int, str]) -> list[ChangeRow]:
    """The rights the snapshot asks for, old → new, in the grant page's order."""
    rows = []
    if "role" in snapshot:
        old, new = snapshot["role"]
        rows.append(ChangeRow(str(_l("角色")), choice_label(Role, old), choice_label(Role, new)))
    if "department_id" in snapshot:
        old, new = snapshot["department_id"]
        rows.append(ChangeRow(str(_l("部门")), departments.get(old, str(old)),
                              departments.get(new, str(new))))
    if "clearance" in snapshot:
        old, new = snapshot["clearance"]
        rows.append(ChangeRow(str(_l("涉密级别")), choice_label(Level, old),
                              choice_label(Level, new)))
    return rows


def grant_rows(snapshot: dict, departments: dict[int, str]) -> list[ChangeRow]:
    """Everything the grant changes once approved, old → new."""
    rows = _rights_rows(snapshot, departments)
    if "active" in snapshot:
        rows.append(ChangeRow(str(_l("账户状态")), str(_l("已停用")), str(_l("启用"))))
    if "password" in snapshot:
        rows.append(ChangeRow(str(_l("密码")), "", str(_l("设置临时密码（下次登录须修改）"))))
    return rows


def _department_ids(snapshots: list[dict]) -> set[int]:
    return {i for s in snapshots for i in s.get("department_id", ())}


def _figure(row: ChangeRow) -> Figure:
    """A right asked, as the inbox row shows it: "角色：专员 → 总经理"."""
    return Figure(row.label, f"{row.old} → {row.new}" if row.old else row.new)


class GrantCard:
    """账户授权: whose account, who asked, and the rights asked (each a key figure of the
    inbox row)."""

    def card(self, snapshot: dict, record) -> Card:
        people = users_by_id((snapshot["user_id"], snapshot["requested_by_id"]))
        account = people.get(snapshot["user_id"])
        fields = [(str(_l("账户")), person(account)),
                  (str(_l("用户名")), account.username if account is not None else NONE),
                  (str(_l("申请人")), person(people.get(snapshot["requested_by_id"])))]
        rows = grant_rows(snapshot, departments_by_id(_department_ids([snapshot])))
        return Card(TEMPLATE, {"fields": fields}, changes=rows)

    def figures(self, snapshots: list[dict]) -> list[list[Figure]]:
        people = people_by_id(s["user_id"] for s in snapshots)
        departments = departments_by_id(_department_ids(snapshots))
        return [[Figure(str(_l("账户")), people.get(s["user_id"], NONE)),
                 *map(_figure, grant_rows(s, departments))] for s in snapshots]
