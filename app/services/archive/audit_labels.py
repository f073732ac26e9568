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
    audit_labels.register_actions({
        "archive_filed": _l("归档"),
        "archive_number_voided": _l("作废档号"),
    })
