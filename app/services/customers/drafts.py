"""我的草稿: the records a user has started and not yet submitted. The customer master lists its
own drafts; a department adds its kinds (contracts…) with `register` in its plug_in, so the home
page shows them all without importing any department."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import Select, literal, literal_column, select, union_all

from app import policy
from app.extensions import db
from app.models import Customer, CustomerStatus, User
from app.services.core.notifications import Link
from app.services.core.viewer_statements import for_viewer

CAP = 10


@dataclass
class Draft:
    kind: str  # what it is, as people say it: 客户, 合同…
    number: str
    title: str
    link: Link
    updated_at: datetime


@dataclass
class DraftQuery:
    """One kind's drafts of a user: `rows` selects (id, number, title, updated_at), already
    policy-scoped; each links to `endpoint` with the id as its `argument`."""

    kind: LazyString  # in the reader's language when shown
    endpoint: str
    argument: str
    rows: Select


class DraftSource(Protocol):
    def query(self, user: User) -> DraftQuery | None:
        """The user's own drafts of one kind, only those policy lets the user see (None: the
        user has none of this kind to see)."""


@dataclass
class MyDrafts:
    rows: list[Draft]
    more: bool  # more drafts than shown


_SOURCES: dict[str, DraftSource] = {}


def register(name: str, source: DraftSource) -> None:
    _SOURCES[name] = source


class CustomerDrafts:
    """Customers the user owns that are still drafts (草稿: never submitted, or returned)."""

    def query(self, user: User) -> DraftQuery:
        rows = select(Customer.id, Customer.number, Customer.name, Customer.updated_at).where(
            Customer.owner_id == user.id, Customer.status == CustomerStatus.DRAFT)
        return DraftQuery(_l("客户"), "customers.customer_detail", "customer_id",
                          policy.scope(rows, user, Customer))


register("customers", CustomerDrafts())


def my_drafts(user: User, cap: int = CAP) -> MyDrafts:
    """The user's drafts of every kind, most recently changed first, at most `cap`: one
    statement (built once per user: services.core.viewer_statements), each kind's newest
    `cap` + 1 taken by its own index before they are merged."""
    kinds, merged = for_viewer("customers.my_drafts", user, lambda: _merged(user, cap),
                               extra=cap)
    if merged is None:
        return MyDrafts([], False)
    drafts = [Draft(str(kinds[n].kind), number, title,
                    Link(kinds[n].endpoint, {kinds[n].argument: id_}), updated_at)
              for n, id_, number, title, updated_at in db.session.execute(merged)]
    return MyDrafts(drafts[:cap], len(drafts) > cap)


def _merged(user: User, cap: int) -> tuple[list[DraftQuery], Select | None]:
    """Every kind's drafts of the user and the statement merging them (None: no kinds)."""
    kinds = [found for source in _SOURCES.values() if (found := source.query(user))]
    if not kinds:
        return kinds, None
    merged = union_all(*(_newest(n, kind.rows, cap + 1) for n, kind in enumerate(kinds)))
    return kinds, merged.order_by(literal_column("updated_at").desc(), literal_column("kind_no"),
                                  literal_column("id").desc()).limit(cap + 1)


def _newest(kind_no: int, rows: Select, limit: int) -> Select:
    """One kind's newest drafts, numbered as that kind (a sorted, limited subquery: a compound
    SELECT takes no ORDER BY or LIMIT of its own in each part)."""
    columns = rows.selected_columns
    newest = rows.order_by(columns[3].desc(), columns[0].desc()).limit(limit).subquery()
    id_, number, title, updated_at = newest.c
    return select(literal(kind_no).label("kind_no"), id_.label("id"), number.label("number"),
                  title.label("title"), updated_at.label("updated_at"))
