"""What the signer of a loan reads (借阅审批), from the frozen snapshot: who borrows, from which
department, whose files, how, why and for how long, and each item by 档号, title and level;
and whether the files are the borrower's own department's (its manager decides) or another's
(the GM decides)."""

from flask_babel import lazy_gettext as _l

from app.models import Level
from app.models.archive import LoanMethod
from app.services.core.card_values import NONE, choice_label, departments_by_id, person, users_by_id
from app.services.core.record_kinds import Card, Figure

TEMPLATE = "archive/loans/_card.html"


def _level(code: int) -> str:
    try:
        return str(Level(code).label)
    except ValueError:
        return str(code)


def _items_text(snapshot: dict) -> str:
    items = snapshot["items"]
    if not items:
        return NONE
    first = items[0]["archive_number"]
    return first if len(items) == 1 else str(_l("%(first)s 等 %(n)d 件", first=first,
                                                 n=len(items)))


def _period(snapshot: dict) -> str:
    return str(_l("%(n)d 天", n=snapshot["days"]))


class LoanCard:
    """借阅申请: the request as asked, and the rule that chose its signer."""

    def card(self, snapshot: dict, record) -> Card:
        borrower = users_by_id([snapshot["borrower_id"]]).get(snapshot["borrower_id"])
        departments = departments_by_id((snapshot["borrower_department_id"],
                                         snapshot["department_id"]))
        own = snapshot["borrower_department_id"] == snapshot["department_id"]
        borrower_department = departments.get(snapshot["borrower_department_id"], NONE)
        fields = [(str(_l("借阅人")), person(borrower)),
                  (str(_l("借阅人部门")), borrower_department),
                  (str(_l("档案所属部门")), departments.get(snapshot["department_id"], NONE)),
                  (str(_l("借阅方式")), choice_label(LoanMethod, snapshot["method"])),
                  (str(_l("借阅期限")), _period(snapshot)),
                  (str(_l("借阅用途")), snapshot["purpose"])]
        rule = (_l("本部门档案：由本部门经理批准") if own
                else _l("非本部门档案：由总经理批准"))
        items = [(item["archive_number"], item["title"], _level(item["level"]))
                 for item in snapshot["items"]]
        return Card(TEMPLATE, {"fields": fields, "lent": items, "rule": str(rule)})

    def figures(self, snapshots: list[dict]) -> list[list[Figure]]:
        return [[Figure(str(_l("借阅方式")), choice_label(LoanMethod, s["method"])),
                 Figure(str(_l("档案")), _items_text(s)),
                 Figure(str(_l("借阅期限")), _period(s))] for s in snapshots]
