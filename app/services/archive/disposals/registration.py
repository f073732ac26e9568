"""Disposal's one registration (services.archive.registration calls plug_in): the approval flow
of a disposal list with its card, and the audit trail's names."""

from flask_babel import lazy_gettext as _l

from app.models.archive import DisposalStatus, EntryDecision
from app.services.approvals import engine as approvals
from app.services.archive.disposals.cards import DisposalCard
from app.services.archive.disposals.kind import DISPOSAL_FLOW, RECORD_TYPE, DisposalKind
from app.services.core import audit_labels, record_kinds

FIELDS = {
    "items": _l("档案"), "item": _l("档案"), "appraisal": _l("鉴定意见"), "reason": _l("原因"),
    "countersign_hash": _l("会签摘要"), "destroyed": _l("已销毁"), "kept": _l("保留"),
    "skipped": _l("未销毁"), "disposal": _l("销毁清单"), "decision": _l("决定"),
    "personal_data_removed": _l("个人信息已删除"), "status": _l("状态"),
}


def plug_in() -> None:
    approvals.register(DISPOSAL_FLOW, DisposalKind(), _l("档案销毁"))
    record_kinds.register_card(RECORD_TYPE, DisposalCard())
    audit_labels.register_object(RECORD_TYPE, _l("档案销毁清单"), FIELDS, {
        "status": DisposalStatus, "decision": EntryDecision})
    audit_labels.register_object("ArchiveItem", _l("档案"), {
        "disposal": _l("销毁清单"), "personal_data_removed": _l("个人信息已删除")})
    audit_labels.register_actions({
        "archive_disposal_created": _l("编制档案销毁清单"),
        "archive_disposal_item_kept": _l("销毁清单中保留档案"),
        "archive_disposal_aborted": _l("中止档案销毁"),
        "archive_disposal_countersigned": _l("会签并执行档案销毁"),
        "archive_disposal_resumed": _l("继续执行档案销毁"),
        "archive_disposal_completed": _l("档案销毁完成"),
        "archive_item_destroyed": _l("销毁档案"),
    })
