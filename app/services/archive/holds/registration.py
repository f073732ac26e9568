"""Legal holds' one registration (services.archive.registration calls plug_in): the audit
trail's names, and the marks' mapper events (importing marks installs them, once a process)."""

from flask_babel import lazy_gettext as _l

from app.models.archive import HoldScope
from app.services.archive.holds import marks  # noqa: F401  (its events mark held items 冻结)
from app.services.core import audit_labels

FIELDS = {"scope": _l("冻结范围"), "target": _l("冻结对象"), "reason": _l("原因"),
          "frozen": _l("冻结件数"), "thawed": _l("解冻件数")}


def plug_in() -> None:
    audit_labels.register_object("ArchiveHold", _l("档案冻结"), FIELDS, {"scope": HoldScope})
    audit_labels.register_actions({
        "archive_hold_placed": _l("冻结档案"),
        "archive_hold_released": _l("解除档案冻结"),
    })
