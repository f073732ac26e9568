"""老客户转介绍登记 (seed 001): an existing customer refers a new one. The record belongs where
its referring customer belongs (owner, department, confidentiality)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import aliased, joinedload

from app import policy
from app.extensions import db
from app.models import Customer, Referral, ReferralOutcome, User
from app.policy import Action
from app.services.core import audit, errors, search
from app.services.core.edits import update_if_unchanged
from app.services.core.loading import load_related, read_rows
from app.services.core.pagination import Page, Sort, kept_rows_page, rows_page
from app.services.customers.operations import name_key
from app.services.sales.scope import inherit_scope

SORT = Sort(Referral.referred_on, True)


@dataclass
class ReferralData:
    """Validated form values; customers are typed as a number or a full name."""

    referrer: str
    referred: str
    referred_on: date
    outcome: ReferralOutcome
    reward_note: str | None


class Refused(errors.Refused):
    """A rule of the referrals register refuses the values."""


def find_customer(scoped: Select, text: str) -> Customer | None:
    """The customer of `scoped` with this number or this full name."""
    value = (text or "").strip()
    if not value:
        return None
    query = scoped.where(or_(Customer.number == value, Customer.name_key == name_key(value)))
    return db.session.scalars(query.limit(1)).unique().first()


def _referred(data: ReferralData, referrer_id: int, directory: Select,
              current: Referral | None = None):
    """(the referred customer if registered, the name to record); refuses the referrer itself.
    An unchanged name keeps its link even if the customer is beyond the user's sight."""
    referred = find_customer(directory, data.referred)
    if referred is None and current is not None and data.referred.strip() == current.referred_name:
        referred = current.referred
    if referred is not None and referred.id == referrer_id:
        raise Refused(_("被介绍客户不能是老客户本身。"), "referred")
    return referred, (referred.name if referred else data.referred.strip())


def _label(referral: Referral) -> str:
    """How the audit trail names a referral: referrer's number → referred name."""
    return f"{referral.referrer.number} → {referral.referred_name}"


def create_referral(data: ReferralData, referrers: Select, directory: Select,
                    actor: User) -> Referral:
    """Registers a referral; refuses a referring customer outside `referrers` (the user's
    customers) and a referred customer that is the referrer itself."""
    referrer = find_customer(referrers, data.referrer)
    if referrer is None:
        raise Refused(_("在您负责的客户中找不到该客户，请输入客户编号或完整名称。"), "referrer")
    referred, name = _referred(data, referrer.id, directory)
    referral = Referral(referrer=referrer, referred=referred, referred_name=name,
                        referred_on=data.referred_on, outcome=data.outcome,
                        reward_note=data.reward_note)
    inherit_scope(referral, referrer)
    db.session.add(referral)
    db.session.flush()
    audit.record("referral_created", referral, actor=actor, object_label=_label(referral),
                 changes=_values(referral))
    return referral


def _values(referral: Referral) -> dict:
    """The referral's values as the audit trail records them."""
    return {"referrer": referral.referrer.number, "referred": referral.referred_name,
            "referred_on": referral.referred_on, "outcome": referral.outcome,
            "reward_note": referral.reward_note}


def update_referral(referral: Referral, data: ReferralData, seen: str, directory: Select,
                    actor: User) -> dict:
    """Saves an edit made on the version stamped `seen` (edits.stamp); raises EditConflict if
    someone saved since, Refused if the referred customer is the referrer."""
    referred, name = _referred(data, referral.referrer_id, directory, referral)
    before = _values(referral)
    update_if_unchanged(referral, seen, {
        "referred_id": referred.id if referred else None, "referred_name": name,
        "referred_on": data.referred_on, "outcome": data.outcome,
        "reward_note": data.reward_note})
    changes = audit.field_changes(before, _values(referral))
    if changes:
        audit.record("referral_updated", referral, actor=actor, object_label=_label(referral),
                     changes=changes)
    return changes


@dataclass
class ReferralFilters:
    q: str = ""
    outcome: str = ""
    owner: int | None = None
    start: date | None = None
    end: date | None = None
    after: str | None = None
    before: str | None = None


def filtered(scoped: Select, f: ReferralFilters) -> Select:
    """The list's filters on an already scoped query: text in either customer, outcome, owner,
    date range."""
    query = scoped
    if f.q:
        by_name = Referral.referred_name.contains(f.q.strip(), autoescape=True)
        clause = search.match(Customer, f.q)
        if clause is not None:
            by_name = or_(by_name, Referral.referrer_id.in_(select(Customer.id).where(clause)))
        query = query.where(by_name)
    if f.outcome:
        query = query.where(Referral.outcome == f.outcome)
    if f.owner:
        query = query.where(Referral.owner_id == f.owner)
    if f.start:
        query = query.where(Referral.referred_on >= f.start)
    if f.end:
        query = query.where(Referral.referred_on <= f.end)
    return query


@dataclass
class ReferralListing:
    page: Page  # its rows are _shown's
    total: int
    capped: bool
    editable: set[int]  # referrals of the page the viewer may edit
    referred_cards: set[int]  # referred customers of the page whose card the viewer may open


# What a referral's form shows besides its own columns: the referring and the referred
# customer, joined (a second statement per customer, selectinload's, costs four times a join).
ROW_LOADS = (joinedload(Referral.referrer), joinedload(Referral.referred))


def load_row(referral: Referral) -> Referral:
    """One referral with its customers (read again if a rollback expired it), for its form."""
    load_related([referral], *ROW_LOADS)
    return referral


def _shown(counted: Select) -> Select:
    """What a row of the list reads: what it shows (the referring customer's name and the
    owner's joined) and what policy's rule reads of a referral."""
    referrer, owner = aliased(Customer), aliased(User)
    return (counted.with_only_columns(
        Referral.id, Referral.referred_on, Referral.referrer_id, Referral.referred_id,
        Referral.referred_name, Referral.outcome, Referral.reward_note, Referral.owner_id,
        Referral.department_id, Referral.confidentiality,
        referrer.name.label("referrer_name"), owner.full_name.label("owner_name"))
        .join(referrer, referrer.id == Referral.referrer_id)
        .join(owner, owner.id == Referral.owner_id))


# The referred customers' columns policy's rule reads of a customer.
_CARDS = select(Customer.id, Customer.owner_id, Customer.department_id,
                Customer.confidentiality, Customer.status).where(
    Customer.id.in_(bindparam("ids", expanding=True)))


def listing(scoped: Callable[[], Select], viewer: User, f: ReferralFilters) -> ReferralListing:
    """One page of the filtered list, newest referral first, with its capped count, the rows
    the viewer may edit and the referred customers whose card they may open. `scoped` builds
    the policy-scoped query; without a search the page's statement is built once per viewer
    and filters."""
    if f.q:  # a search's clause depends on the data (services.core.search): built each time
        counted = rows_page(filtered(scoped(), f), _shown, Referral, SORT, after=f.after,
                            before=f.before)
    else:
        extra = (f.outcome, f.owner, f.start, f.end)
        counted = kept_rows_page("sales.referrals", viewer, extra, lambda: filtered(scoped(), f),
                                 _shown, Referral, SORT, after=f.after, before=f.before)
    rows = counted[0].rows
    referred = sorted({row.referred_id for row in rows if row.referred_id is not None})
    cards = read_rows(_CARDS, {"ids": referred}) if referred else []
    return ReferralListing(*counted, policy.allowed_rows(viewer, Action.EDIT, Referral, rows),
                           policy.allowed_rows(viewer, Action.VIEW_CARD, Customer, cards))


def export_table(scoped: Select, f: ReferralFilters):
    """(headers, rows) of the whole filtered list, the page's columns, in the page's order."""
    referrer, owner = aliased(Customer), aliased(User)
    query = (filtered(scoped, f).order_by(None).order_by(*SORT.order_by(Referral, True))
             .join(referrer, referrer.id == Referral.referrer_id)
             .join(owner, owner.id == Referral.owner_id)
             .with_only_columns(Referral.referred_on, referrer.number, referrer.name,
                                Referral.referred_name, Referral.referred_id, Referral.outcome,
                                Referral.reward_note, owner.full_name, Referral.confidentiality))
    headers = (_("介绍日期"), _("老客户编号"), _("老客户名称"), _("被介绍客户"), _("是否已登记"),
               _("跟进结果"), _("奖励说明"), _("负责人"), _("密级"))
    rows = db.session.execute(query.execution_options(yield_per=2000))
    return headers, ((on, number, name, referred, _("已登记") if referred_id else _("未登记"),
                      outcome, note, owner_name, level)
                     for on, number, name, referred, referred_id, outcome, note, owner_name, level
                     in rows)
