"""The loans' one registration (services.archive.registration calls plug_in): the approval
flow of a loan with its card, the audit trail's names, and the home page's tile."""

from flask_babel import lazy_gettext as _l

from app.models.archive import LOAN_FLOW
from app.services.approvals import engine as approvals
from app.services.archive.loans import audit_labels, tiles
from app.services.archive.loans.cards import LoanCard
from app.services.archive.loans.kind import LoanKind
from app.services.core import home_tiles, record_kinds


def plug_in() -> None:
    approvals.register(LOAN_FLOW, LoanKind(), _l("档案借阅"))
    record_kinds.register_card(LoanKind.record_type, LoanCard())
    audit_labels.register()
    home_tiles.register(40, tiles.loans_tile)
