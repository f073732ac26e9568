"""SLA policies and on-site profiles: read for the policy page, edited by the 客服 manager
(policy.service.SlaPolicyRules), each change audited and followed by a recompute run of the
open records. A contract that promises on-site service (001 L325–334) is linked to a
profile here; the contract is read from app.models (never through the sales department)."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Contract, Customer
from app.models.service.records import Priority, ServiceType
from app.models.service.sla import (
    ContractSlaProfile,
    SlaCalendar,
    SlaKind,
    SlaPolicy,
    SlaRecomputeRun,
)
from app.services.core import audit
from app.services.core.errors import EditConflict, Refused
from app.services.service.sla import recompute

MAX_MINUTES = 60 * 24 * 366  # a year: anything longer is a typing slip
EDITED = ("name", "calendar", "response_minutes", "on_site_minutes", "resolution_minutes")


class SlaRefused(Refused):
    """The SLA settings' refusals (validation in Chinese, on the field concerned)."""


@dataclass(frozen=True)
class Targets:
    """What the edit form sends, in minutes."""

    name: str
    calendar: SlaCalendar
    response_minutes: int
    on_site_minutes: int | None
    resolution_minutes: int


@dataclass(frozen=True)
class Attached:
    """A contract with its on-site profile, for the page's list."""

    contract_id: int
    number: str
    contract_name: str
    customer_name: str
    policy_name: str
    attached_at: datetime


def standard() -> list[SlaPolicy]:
    """The standard policies, by service type then priority (high first)."""
    order = {code: i for i, code in enumerate([*ServiceType, *Priority])}
    rows = db.session.scalars(select(SlaPolicy).where(SlaPolicy.kind == SlaKind.STANDARD))
    return sorted(rows, key=lambda p: (order[p.service_type], order[p.priority]))


def profiles() -> list[SlaPolicy]:
    """The on-site profiles."""
    return list(db.session.scalars(select(SlaPolicy).where(SlaPolicy.kind == SlaKind.ON_SITE)
                                   .order_by(SlaPolicy.id)))


def attached(user) -> list[Attached]:
    """The contracts linked to a profile, those above the user's clearance left out."""
    rows = db.session.execute(
        select(ContractSlaProfile.contract_id, Contract.number, Contract.name, Customer.name,
               SlaPolicy.name, ContractSlaProfile.attached_at)
        .join(Contract, Contract.id == ContractSlaProfile.contract_id)
        .join(Customer, Customer.id == Contract.customer_id)
        .join(SlaPolicy, SlaPolicy.id == ContractSlaProfile.policy_id)
        .where(Contract.confidentiality <= user.clearance)
        .order_by(Contract.number))
    return [Attached(*row) for row in rows]


def _check(policy: SlaPolicy, targets: Targets) -> None:
    """Refuses targets that make no sense, on the field concerned."""
    if not targets.name.strip():
        raise SlaRefused(_("请填写名称。"), "name")
    for field, minutes in (("response_hours", targets.response_minutes),
                           ("resolution_hours", targets.resolution_minutes)):
        if minutes <= 0:
            raise SlaRefused(_("时限必须大于零。"), field)
        if minutes > MAX_MINUTES:
            raise SlaRefused(_("时限不能超过一年。"), field)
    if targets.resolution_minutes < targets.response_minutes:
        raise SlaRefused(_("解决时限不能短于响应时限。"), "resolution_hours")
    if policy.kind == SlaKind.ON_SITE:
        on_site = targets.on_site_minutes
        if on_site is None:
            raise SlaRefused(_("请填写到场时限。"), "on_site_hours")
        if not targets.response_minutes <= on_site <= targets.resolution_minutes:
            raise SlaRefused(_("到场时限应在响应时限与修复时限之间。"), "on_site_hours")


def update(policy: SlaPolicy, targets: Targets, version: int, actor
           ) -> SlaRecomputeRun | None:
    """Saves the targets (EditConflict when someone saved since the form was opened), audits
    old → new and requests a recompute run; None when nothing changed."""
    if policy.version != version:
        raise EditConflict()
    _check(policy, targets)
    if policy.kind == SlaKind.STANDARD:
        targets = Targets(targets.name, targets.calendar, targets.response_minutes, None,
                          targets.resolution_minutes)
    before = {name: getattr(policy, name) for name in EDITED}
    after = {**vars(targets), "name": targets.name.strip()}
    changes = audit.field_changes(before, after)
    if not changes:
        return None
    for name in EDITED:
        setattr(policy, name, after[name])
    policy.version += 1
    policy.updated_by_id = actor.id
    audit.record("sla_policy_updated", policy, changes=changes, object_label=label(policy))
    return recompute.request(_("SLA 时限变更：%(name)s", name=label(policy)), actor.id)


def label(policy: SlaPolicy) -> str:
    """A policy's name for the audit trail and messages (type and priority when standard)."""
    if policy.kind == SlaKind.STANDARD:
        return f"{policy.service_type.label} · {policy.priority.label}"
    return policy.name


def attach(number: str, policy_id: int, actor) -> SlaRecomputeRun:
    """Links the contract numbered `number` to an on-site profile (replacing its previous
    one); refuses an unknown contract, one above the user's clearance, or a standard policy."""
    contract = db.session.scalars(select(Contract).where(Contract.number == number.strip())
                                  ).first()
    if contract is None or contract.confidentiality > actor.clearance:
        raise SlaRefused(_("没有找到编号为 %(number)s 的合同。", number=number.strip()),
                         "contract_number")
    policy = db.session.get(SlaPolicy, policy_id)
    if policy is None or policy.kind != SlaKind.ON_SITE:
        raise SlaRefused(_("请选择上门服务承诺。"), "policy_id")
    link = db.session.get(ContractSlaProfile, contract.id)
    old = db.session.get(SlaPolicy, link.policy_id) if link else None
    if old is not None and old.id == policy.id:
        raise SlaRefused(_("该合同已关联此上门服务承诺。"), "contract_number")
    if link is None:
        link = ContractSlaProfile(contract_id=contract.id)
        db.session.add(link)
    link.policy_id, link.attached_by_id = policy.id, actor.id
    audit.record("sla_profile_attached", contract,
                 changes={"sla_profile": [old.name if old else None, policy.name]})
    return recompute.request(_("合同 %(number)s 关联上门服务承诺", number=contract.number),
                             actor.id)


def detach(contract_id: int, actor) -> SlaRecomputeRun:
    """Removes a contract's on-site profile (its records fall back to the standard policy)."""
    link = db.session.get(ContractSlaProfile, contract_id)
    contract = db.session.get(Contract, contract_id)
    if link is None or contract is None or contract.confidentiality > actor.clearance:
        raise SlaRefused(_("该合同没有关联上门服务承诺。"))
    policy = db.session.get(SlaPolicy, link.policy_id)
    audit.record("sla_profile_detached", contract, changes={"sla_profile": [policy.name, None]})
    db.session.delete(link)
    return recompute.request(_("合同 %(number)s 取消上门服务承诺", number=contract.number),
                             actor.id)
