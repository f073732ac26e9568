"""The retention schedule (保管期限表) as the administrator keeps it: one rule per record type
(years or 永久, and the event they count from), its history, and the recompute run every
saved change starts (services/archive/schedule_runs) so that each filed item's expiry follows.

The seeds set floors the schedule keeps (seeds-wave2 d4): nothing under three years (004: 客户
信息及服务记录「不少于3年」), signed service records at least four (001), the audit trail and
destruction lists permanent (DESIGN). The 保管期限 code follows the years (D3, D10, Y 永久,
DA/T 22); items filed before a change keep the code their 档号 was numbered with."""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from app.models.archive import (
    ArchiveItem,
    ArchiveState,
    RetentionRule,
    RetentionRuleChange,
    RetentionRun,
    RetentionTrigger,
)
from app.services.archive import schedule_runs
from app.services.core import audit, audit_labels, edits
from app.services.core.errors import Refused
from app.services.core.record_kinds import filing_types

MIN_YEARS, MAX_YEARS = 3, 100
FLOORS = {"ServiceRecord": 4}  # signed service records (001 L223)
PERMANENT_ONLY = frozenset({"AuditTrail", "DisposalList"})
# Names of the kinds the schedule lists before their department registers them.
KIND_NAMES = {
    "ServiceRecord": _l("客户服务记录"), "Complaint": _l("投诉处理记录"),
    "CreditInvestigation": _l("资信调查"), "CreditRating": _l("信用评级"),
    "CreditLimit": _l("信用额度"), "AuditTrail": _l("审计日志"),
    "ReturnVisit": _l("回访记录"), "FaultReport": _l("故障分析报告"),
}


class ScheduleRefused(Refused):
    """The schedule refuses a change (on the form's field concerned)."""


@dataclass(frozen=True)
class Period:
    """What the form sends: the years (None: permanent) and the event they count from."""

    years: int | None
    trigger: RetentionTrigger

    @property
    def code(self) -> str:
        """The 保管期限 code in the 档号 (DA/T 22): Y for permanent, else D and the years."""
        return "Y" if self.years is None else f"D{self.years}"


@dataclass(frozen=True)
class ScheduleRow:
    """A rule as the page and the export show it, with its items in the archive."""

    rule: RetentionRule
    label: str
    items: int


def kind_label(record_type: str) -> str:
    """A record type's name: its department's, else the schedule's own, else the code."""
    registered = audit_labels.object_type_label(record_type)
    if registered != record_type:
        return registered
    return str(KIND_NAMES.get(record_type, record_type))


def years_text(years: int | None) -> str:
    return _("永久") if years is None else _("%(n)d 年", n=years)


def rows() -> list[ScheduleRow]:
    """Every rule, by kind name, with its items not destroyed."""
    counts = dict(db.session.execute(
        select(ArchiveItem.record_type, func.count()).where(
            ArchiveItem.state != ArchiveState.DESTROYED).group_by(ArchiveItem.record_type)).all())
    listed = [ScheduleRow(rule, kind_label(rule.record_type), counts.get(rule.record_type, 0))
              for rule in db.session.scalars(select(RetentionRule))]
    return sorted(listed, key=lambda row: row.label)


def unset_types() -> list[tuple[str, str]]:
    """(record type, name) of the kinds that can be filed but have no rule: their filing is
    refused until an administrator sets one."""
    listed = set(db.session.scalars(select(RetentionRule.record_type)))
    return [(kind, kind_label(kind)) for kind in filing_types() if kind not in listed]


def check(record_type: str, period: Period, reason: str) -> str:
    """The reason, stripped; refuses a period under the seeds' floors or a missing reason."""
    if period.years is not None:
        _check_years(record_type, period.years)
    reason = (reason or "").strip()
    if not reason:
        raise ScheduleRefused(_("请填写修改原因。"), "reason")
    return reason


def _check_years(record_type: str, years: int) -> None:
    if record_type in PERMANENT_ONLY:
        raise ScheduleRefused(_("审计日志和档案销毁清单须永久保存。"), "years")
    if not MIN_YEARS <= years <= MAX_YEARS:
        raise ScheduleRefused(_("保管年限应为 %(low)d 至 %(high)d 年之间的整数；更长请选择永久。",
                                low=MIN_YEARS, high=MAX_YEARS), "years")
    floor = FLOORS.get(record_type, MIN_YEARS)
    if years < floor:
        raise ScheduleRefused(_("%(kind)s的保管期限不少于 %(n)d 年。",
                                kind=kind_label(record_type), n=floor), "years")


def change(rule: RetentionRule, period: Period, reason: str, stamp: str,
           actor: User) -> RetentionRun | None:
    """Saves the rule as the form opened at `stamp` left it (EditConflict when someone saved
    since), keeps the change with its reason, audits old → new and requests the recompute of
    the type's items; None when nothing changed. The caller commits, then enqueues the run."""
    reason = check(rule.record_type, period, reason)
    old = (rule.code, rule.years, rule.trigger)
    if old == (period.code, period.years, period.trigger):
        return None
    edits.update_if_unchanged(rule, stamp, {"code": period.code, "years": period.years,
                                            "trigger": period.trigger,
                                            "updated_by_id": actor.id})
    run = schedule_runs.request(rule.record_type, _("保管期限变更：%(kind)s",
                                                    kind=kind_label(rule.record_type)), actor.id)
    _keep(rule, old, reason, actor, run)
    return run


def add(record_type: str, period: Period, reason: str, actor: User) -> RetentionRule:
    """Adds the rule of a fileable kind that has none (its filing waits for it); refuses a
    kind that cannot be filed or has its rule already. The caller commits."""
    if record_type not in dict(unset_types()):
        raise ScheduleRefused(_("该类记录不能归档，或已列入保管期限表。"))
    reason = check(record_type, period, reason)
    rule = RetentionRule(record_type=record_type, code=period.code, years=period.years,
                         trigger=period.trigger, updated_by_id=actor.id)
    db.session.add(rule)
    db.session.flush()
    _keep(rule, (None, None, None), reason, actor, None)
    return rule


def _keep(rule: RetentionRule, old: tuple, reason: str, actor: User,
          run: RetentionRun | None) -> None:
    """The history row and the audit event of a saved change (`old` all None: an addition)."""
    db.session.add(RetentionRuleChange(
        rule_id=rule.id, changed_by_id=actor.id, reason=reason, old_code=old[0],
        old_years=old[1], old_trigger=old[2], new_code=rule.code, new_years=rule.years,
        new_trigger=rule.trigger, run_id=run.id if run else None))
    values = {"code": rule.code, "years": years_text(rule.years),
              "trigger": str(rule.trigger.label)}
    before = {"code": old[0], "years": years_text(old[1]) if old[0] else None,
              "trigger": str(old[2].label) if old[2] else None}
    audit.record("retention_rule_changed" if old[0] else "retention_rule_added", rule,
                 actor=actor, object_label=kind_label(rule.record_type),
                 changes={**audit.field_changes(before, values), "reason": reason})


def register_labels() -> None:
    """How the audit trail names the schedule, its changes and its runs."""
    audit_labels.register_object("RetentionRule", _l("保管期限"), {
        "code": _l("保管期限代码"), "years": _l("保管年限"), "trigger": _l("起算事件"),
        "reason": _l("原因")})
    audit_labels.register_object("ArchiveItem", _l("档案"), {
        "run": _l("重算任务"), "expiry_date": _l("到期日")})
    audit_labels.register_actions({
        "retention_rule_changed": _l("修改保管期限"),
        "retention_rule_added": _l("新增保管期限"),
        "retention_recomputed": _l("重算档案到期日"),
    })
