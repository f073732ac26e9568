"""The customer master's one registration (create_app calls plug_in): its approval flows and
the cards their signers read."""

from flask_babel import lazy_gettext as _l

from app import policy
from app.models import PHONE_EXPORT_FLOW
from app.policy import exports as export_policy
from app.services.approvals import engine as approvals
from app.services.core import record_kinds
from app.services.customers import audit_labels
from app.services.customers.cards import CustomerCard, CustomerChangeCard
from app.services.customers.filing import CustomerFiling
from app.services.customers.phone_exports import PhoneExportCard, PhoneExportKind
from app.services.customers.review import CHANGE_FLOW, REVIEW_FLOW, CustomerChange, CustomerReview


def plug_in() -> None:
    audit_labels.register()
    approvals.register(REVIEW_FLOW, CustomerReview(), _l("客户档案审核"))
    approvals.register(CHANGE_FLOW, CustomerChange(), _l("客户资料变更"))
    record_kinds.register_card("Customer", CustomerCard())
    record_kinds.register_filing("Customer", CustomerFiling())
    record_kinds.register_card("ChangeRequest", CustomerChangeCard())
    policy.register(export_policy.rules())
    approvals.register(PHONE_EXPORT_FLOW, PhoneExportKind(), _l("完整电话导出"))
    record_kinds.register_card("PhoneExport", PhoneExportCard())
