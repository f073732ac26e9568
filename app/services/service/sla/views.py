"""What the SLA policy page and its export show, loaded here (templates never query)."""

from dataclasses import dataclass

from flask_babel import gettext as _

from app.models.service.sla import SlaPolicy
from app.services.service.sla import policies, recompute


def duration(minutes: int | None) -> str:
    """Minutes as people say them: 30 分钟, 2 小时, 7 小时 30 分钟."""
    if minutes is None:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(m)d 分钟", m=rest)
    if not rest:
        return _("%(h)d 小时", h=hours)
    return _("%(h)d 小时 %(m)d 分钟", h=hours, m=rest)

@dataclass(frozen=True)
class PolicyRow:
    """One policy as the page shows it."""

    id: int
    kind: str
    label: str
    calendar: str
    response: str
    on_site: str
    resolution: str

def row(policy: SlaPolicy) -> PolicyRow:
    return PolicyRow(policy.id, policy.kind.label, policies.label(policy), policy.calendar.label,
                     duration(policy.response_minutes), duration(policy.on_site_minutes),
                     duration(policy.resolution_minutes))

def page_context(user) -> dict:
    """The policy page: standard rows, profiles, linked contracts, the last recompute run."""
    return dict(standard=[row(p) for p in policies.standard()],
                profiles=[row(p) for p in policies.profiles()],
                attached=policies.attached(user), run=recompute.latest())

def policy_rows() -> tuple[list, list]:
    """The export: every policy and profile with its targets."""
    headers = [_("类别"), _("适用"), _("计时日历"), _("响应时限"), _("到场时限"),
               _("解决时限")]
    rows = [(r.kind, r.label, r.calendar, r.response, r.on_site, r.resolution)
            for r in (*map(row, policies.standard()), *map(row, policies.profiles()))]
    return headers, rows
