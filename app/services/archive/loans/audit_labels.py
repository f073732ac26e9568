"""How the audit trail names the loans' actions and fields (registered with
services.core.audit_labels by the loans' plug_in)."""

from flask_babel import lazy_gettext as _l

from app.models.archive import ArchiveState, LoanMethod, ReturnCondition
from app.services.core import audit_labels

LOAN_FIELDS = {
    "items": _l("档案"), "method": _l("借阅方式"), "purpose": _l("借阅用途"),
    "days": _l("天数"), "due_at": _l("到期时间"), "condition": _l("完整性检查"),
    "note": _l("说明"), "overdue": _l("逾期"),
}
ITEM_FIELDS = {"loan": _l("借阅"), "state": _l("状态"), "method": _l("借阅方式"),
               "due_at": _l("到期时间")}


def register() -> None:
    audit_labels.register_object("ArchiveLoan", _l("档案借阅"), LOAN_FIELDS, {
        "method": LoanMethod, "condition": ReturnCondition})
    audit_labels.register_object("ArchiveItem", _l("档案"), ITEM_FIELDS, {
        "state": ArchiveState, "method": LoanMethod})
    audit_labels.register_actions({
        "archive_loan_requested": _l("申请借阅档案"),
        "archive_loan_handed_out": _l("档案出借"),
        "archive_loan_returned": _l("档案归还"),
        "archive_loan_renewed": _l("档案续借"),
        "archive_loan_expired": _l("借阅到期"),
        "archive_loan_viewed": _l("在线查阅档案"),
        "archive_item_lent": _l("档案借出"),
        "archive_item_returned": _l("档案归库"),
    })
