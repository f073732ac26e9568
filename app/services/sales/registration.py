"""The sales department's one registration (create_app calls plug_in through its blueprint
package): its models' rules, its approval flows, its importers, and its records that follow a
customer to a new owner."""

from flask_babel import lazy_gettext as _l

from app import policy
from app.models import DeptCode
from app.policy import sales as sales_policy
from app.services.approvals import engine as approvals
from app.services.core import record_kinds
from app.services.customers import drafts, followers, related
from app.services.imports import registry as importers
from app.services.sales import audit_labels, scope
from app.services.sales.contracts.cards import ContractCard, ContractChangeCard
from app.services.sales.contracts.changes import CHANGE_FLOW, ContractChangeKind
from app.services.sales.contracts.filing import ContractFiling
from app.services.sales.contracts.review import REVIEW_FLOW, ContractReview
from app.services.sales.customer_sections import ContractSection, ReceivableSection, VisitSection
from app.services.sales.drafts import ContractDrafts
from app.services.sales.imports import synonyms as import_synonyms
from app.services.sales.imports.contracts import ContractImporter
from app.services.sales.imports.customers import CustomerImporter
from app.services.sales.imports.ledger import SalesImporter
from app.services.sales.ledger import lists as ledger_lists
from app.services.sales.ledger import receivables
from app.services.sales.ledger.cards import ReversalCard
from app.services.sales.ledger.reversal_kind import ReversalKind
from app.services.sales.ledger.reversals import REVERSAL_FLOW
from app.services.sales.ownership.cards import HandoverCard, TransferCard
from app.services.sales.ownership.handover import HANDOVER_FLOW, Handover
from app.services.sales.ownership.transfers import FLOW as TRANSFER_FLOW
from app.services.sales.ownership.transfers import OwnershipTransfer


def plug_in() -> None:
    audit_labels.register()
    policy.register(sales_policy.rules())
    approvals.register(REVIEW_FLOW, ContractReview(), _l("合同评审"))
    approvals.register(CHANGE_FLOW, ContractChangeKind(), _l("合同变更"))
    record_kinds.register_card("Contract", ContractCard())
    record_kinds.register_filing("Contract", ContractFiling())
    record_kinds.register_card("ContractChange", ContractChangeCard())
    approvals.register(TRANSFER_FLOW, OwnershipTransfer(), _l("客户归属变更"))
    record_kinds.register_card(OwnershipTransfer.record_type, TransferCard())
    approvals.register(HANDOVER_FLOW, Handover(), _l("离职交接"))
    record_kinds.register_card(Handover.record_type, HandoverCard())
    approvals.register(REVERSAL_FLOW, ReversalKind(), _l("回款与台账红冲"))
    record_kinds.register_card(ReversalKind.record_type, ReversalCard())
    importers.register(CustomerImporter(), _l("客户档案"), DeptCode.SALES)
    importers.register(ContractImporter(), _l("销售合同"), DeptCode.SALES)
    importers.register(SalesImporter(), _l("销售台账"), DeptCode.SALES)
    import_synonyms.register()
    receivables.watch_writes()
    ledger_lists.watch_writes()
    followers.register("sales", scope)
    related.register("sales.contracts", ContractSection(), order=10)
    related.register("sales.receivables", ReceivableSection(), order=20)
    related.register("sales.visits", VisitSection(), order=30)
    drafts.register("sales.contracts", ContractDrafts())
