"""The sales department's part of 我的草稿: contracts the user owns that are still drafts."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import policy
from app.models import Contract, ContractStatus, User
from app.policy import Action
from app.services.customers.drafts import DraftQuery


class ContractDrafts:
    """Contracts the user owns not yet submitted for review (草稿), most recently changed
    first; only those the user's contract list shows them."""

    def query(self, user: User) -> DraftQuery | None:
        if not policy.can(user, Action.VIEW, Contract):
            return None
        rows = select(Contract.id, Contract.number, Contract.name, Contract.updated_at).where(
            Contract.owner_id == user.id, Contract.status == ContractStatus.DRAFT)
        return DraftQuery(_l("合同"), "sales.contract_detail", "contract_id",
                          policy.scope(rows, user, Contract))
