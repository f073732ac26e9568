"""The customer master's one registration (create_app calls plug_in): its approval flows."""

from flask_babel import lazy_gettext as _l

from app.services.approvals import engine as approvals
from app.services.customers.review import CHANGE_FLOW, REVIEW_FLOW, CustomerChange, CustomerReview


def plug_in() -> None:
    approvals.register(REVIEW_FLOW, CustomerReview(), _l("客户档案审核"))
    approvals.register(CHANGE_FLOW, CustomerChange(), _l("客户资料变更"))
