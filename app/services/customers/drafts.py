"""我的草稿: the records a user has started and not yet submitted. The customer master lists its
own drafts; a department adds its kinds (contracts…) with `register` in its plug_in, so the home
page shows them all without importing any department."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import policy
from app.extensions import db
from app.models import Customer, CustomerStatus, User
from app.services.core.notifications import Link

CAP = 10


@dataclass
class Draft:
    kind: str  # what it is, as people say it: 客户, 合同…
    number: str
    title: str
    link: Link
    updated_at: datetime


class DraftSource(Protocol):
    def drafts(self, user: User, limit: int) -> list[Draft]:
        """The user's own drafts of one kind, most recently changed first, at most `limit`,
        only those policy lets the user see."""


@dataclass
class MyDrafts:
    rows: list[Draft]
    more: bool  # more drafts than shown


_SOURCES: dict[str, DraftSource] = {}


def register(name: str, source: DraftSource) -> None:
    _SOURCES[name] = source


class CustomerDrafts:
    """Customers the user owns that are still drafts (草稿: never submitted, or returned)."""

    def drafts(self, user: User, limit: int) -> list[Draft]:
        query = (select(Customer.id, Customer.number, Customer.name, Customer.updated_at)
                 .where(Customer.owner_id == user.id, Customer.status == CustomerStatus.DRAFT)
                 .order_by(Customer.updated_at.desc(), Customer.id.desc()).limit(limit))
        rows = db.session.execute(policy.scope(query, user, Customer)).all()
        kind = str(_l("客户"))
        return [Draft(kind, number, name, Link("customers.customer_detail", {"customer_id": id_}),
                      updated_at)
                for id_, number, name, updated_at in rows]


register("customers", CustomerDrafts())


def my_drafts(user: User, cap: int = CAP) -> MyDrafts:
    """The user's drafts of every kind, most recently changed first, at most `cap` (one query
    per kind, whatever the number of drafts)."""
    found = [draft for source in _SOURCES.values() for draft in source.drafts(user, cap + 1)]
    found.sort(key=lambda draft: draft.updated_at, reverse=True)
    return MyDrafts(found[:cap], len(found) > cap)
