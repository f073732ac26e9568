"""The sales department's part of 我的草稿: contracts the user owns that are still drafts."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import policy
from app.extensions import db
from app.models import Contract, ContractStatus, User
from app.policy import Action
from app.services.core.notifications import Link
from app.services.customers.drafts import Draft


class ContractDrafts:
    """Contracts the user owns not yet submitted for review (草稿), most recently changed
    first; only those the user's contract list shows them."""

    def drafts(self, user: User, limit: int) -> list[Draft]:
        if not policy.can(user, Action.VIEW, Contract):
            return []
        query = (select(Contract).where(Contract.owner_id == user.id,
                                        Contract.status == ContractStatus.DRAFT)
                 .order_by(Contract.updated_at.desc(), Contract.id.desc()).limit(limit))
        return [Draft(str(_l("合同")), c.number, c.name,
                      Link("sales.contract_detail", {"contract_id": c.id}), c.updated_at)
                for c in db.session.scalars(policy.scope(query, user, Contract))]
