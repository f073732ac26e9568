"""The sales department's one registration (create_app calls plug_in through its blueprint
package): its models' rules, its approval flows, its importers, and its records that follow a
customer to a new owner."""

from flask_babel import lazy_gettext as _l

from app import policy
from app.policy import sales as sales_policy
from app.services.approvals import engine as approvals
from app.services.customers import followers
from app.services.imports import registry as importers
from app.services.sales import scope
from app.services.sales.contracts.changes import CHANGE_FLOW, ContractChangeKind
from app.services.sales.contracts.review import REVIEW_FLOW, ContractReview
from app.services.sales.imports.contracts import ContractImporter
from app.services.sales.imports.customers import CustomerImporter
from app.services.sales.imports.ledger import SalesImporter
from app.services.sales.ownership.handover import HANDOVER_FLOW, Handover
from app.services.sales.ownership.transfers import FLOW as TRANSFER_FLOW
from app.services.sales.ownership.transfers import OwnershipTransfer


def plug_in() -> None:
    policy.register(sales_policy.rules())
    approvals.register(REVIEW_FLOW, ContractReview(), _l("合同评审"))
    approvals.register(CHANGE_FLOW, ContractChangeKind(), _l("合同变更"))
    approvals.register(TRANSFER_FLOW, OwnershipTransfer(), _l("客户归属变更"))
    approvals.register(HANDOVER_FLOW, Handover(), _l("离职交接"))
    importers.register(CustomerImporter(), _l("客户档案"))
    importers.register(ContractImporter(), _l("销售合同"))
    importers.register(SalesImporter(), _l("销售台账"))
    followers.register("sales", scope)
