"""How the audit trail names the archive's actions and items (registered with
services.core.audit_labels by plug_in)."""

from flask_babel import lazy_gettext as _l

from app.services.core import audit_labels

ITEM_FIELDS = {
    "archive_number": _l("档号"), "record_type": _l("记录类型"), "record_id": _l("记录"),
    "title": _l("题名"), "sha256": _l("SHA-256"), "sm3": _l("SM3"), "size": _l("大小"),
    "reason": _l("原因"),
}


def register() -> None:
    audit_labels.register_object("ArchiveItem", _l("档案"), ITEM_FIELDS)
    audit_labels.register_object("ArchivePrintJob", _l("档案批量打印"), {
        "items": _l("件数"), "format": _l("格式"), "job": _l("打印任务")})
    audit_labels.register_actions({
        "archive_filed": _l("归档"),
        "archive_number_voided": _l("作废档号"),
        "archive_copy_viewed": _l("查阅档案电子副本"),
        "archive_copy_downloaded": _l("下载档案电子副本"),
        "archive_batch_printed": _l("批量打印档案"),
        "archive_print_taken": _l("下载批量打印文件"),
    })
    register_handovers()


def register_handovers() -> None:
    """归档移交单, the monthly filing and the receipt check."""
    handover_fields = {"lines": _l("条数"), "records": _l("业务编号"), "reason": _l("原因"),
                       "record": _l("业务编号"), "number": _l("移交单号")}
    audit_labels.register_object("ArchiveHandover", _l("归档移交单"), handover_fields)
    audit_labels.register_object("ArchiveFilingRun", _l("月度归档"), {
        "month": _l("月份"), "department": _l("部门")})
    audit_labels.register_object("ArchiveItem", _l("档案"), {"problems": _l("检测问题")})
    audit_labels.register_actions({
        "archive_handover_submitted": _l("提交归档移交单"),
        "archive_handover_accepted": _l("接收移交记录"),
        "archive_handover_rejected": _l("退回移交记录"),
        "archive_filing_refused": _l("移交记录不能归档"),
        "archive_receipt_checked": _l("接收检测通过"),
        "archive_receipt_check_failed": _l("接收检测未通过"),
        "archive_monthly_filing_started": _l("开始月度归档"),
        "archive_monthly_list_built": _l("生成月度移交单"),
    })
