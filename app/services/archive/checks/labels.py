"""How the audit trail names the four-property check's actions, runs and schemes (registered by
the archive's plug_in)."""

from flask_babel import lazy_gettext as _l

from app.models.archive import CheckOutcome, CheckScope
from app.services.core import audit_labels

RUN_FIELDS = {
    "scope": _l("检测范围"), "scheme": _l("检测方案"), "items": _l("选定件数"),
    "processed": _l("已检测"), "failed": _l("不通过"), "warned": _l("警告"),
    "conclusion": _l("检测结论"), "report_hash": _l("报告摘要"),
}
SCHEME_FIELDS = {"version": _l("版本"), "note": _l("说明"), "rows": _l("检测项目")}


def register() -> None:
    audit_labels.register_object("ArchiveCheckRun", _l("四性检测"), RUN_FIELDS,
                                 {"scope": CheckScope, "conclusion": CheckOutcome})
    audit_labels.register_object("ArchiveCheckScheme", _l("四性检测方案"), SCHEME_FIELDS)
    audit_labels.register_actions({
        "archive_check_started": _l("发起四性检测"),
        "archive_check_finished": _l("完成四性检测"),
        "archive_check_signed": _l("签署四性检测报告"),
        "archive_check_scheme_saved": _l("保存四性检测方案"),
    })
