"""The navigation a user sees: only the areas policy lets them use."""

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from app import policy
from app.models import AuditEvent, Customer, User
from app.policy import Action


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    args: tuple = ()

    @property
    def url(self) -> str:
        return url_for(self.endpoint, **dict(self.args))


_ITEMS = (
    (_l("工作台"), "core.home", (), None),
    (_l("客户档案"), "customers.customer_list", (), Customer),
    (_l("销售台账"), "core.area_placeholder", (("area", "sales"),), "sales"),
    (_l("客服台账"), "core.area_placeholder", (("area", "service"),), "service"),
    (_l("风险管理"), "core.area_placeholder", (("area", "risk"),), "risk"),
    (_l("档案室"), "core.area_placeholder", (("area", "archive"),), "archive"),
    (_l("用户管理"), "admin.user_list", (), User),
    (_l("审计日志"), "audit.event_list", (), AuditEvent),
)


def navigation_for(user) -> list[NavItem]:
    return [NavItem(label, endpoint, args) for label, endpoint, args, target in _ITEMS
            if target is None or policy.can(user, Action.VIEW, target)]
