"""The navigation a user sees: only the areas policy lets them use."""

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import lazy_gettext as _l

from app import policy
from app.models import AccountGrant, ApprovalFlow, ApprovalRequest, AuditEvent, Customer, User
from app.models.archive import ArchiveLoan, RetentionRule
from app.models.calendar import WorkdayException
from app.policy import Action

# (application root, endpoint, arguments) -> URL: the navigation's URLs never change while the
# process runs, and every page asks for each item's three times (url_for costs ~10 µs).
_URLS: dict[tuple, str] = {}


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    args: tuple = ()
    badge: str | None = None  # endpoint of a polled counter fragment

    @property
    def url(self) -> str:
        key = (request.script_root, self.endpoint, self.args)
        url = _URLS.get(key)
        if url is None:
            url = _URLS[key] = url_for(self.endpoint, **dict(self.args))
        return url


_ITEMS = (
    (_l("工作台"), "core.home", (), None),
    (_l("我的待办"), "approvals.request_inbox", (), ApprovalRequest),
    (_l("客户档案"), "customers.customer_list", (), Customer),
    (_l("销售台账"), "sales.home", (), "sales"),
    (_l("客服台账"), "service.home", (), "service"),
    (_l("风险管理"), "core.area_placeholder", (("area", "risk"),), "risk"),
    (_l("档案室"), "archive.home", (), "archive"),
    (_l("档案借阅"), "archive.loan_list", (), ArchiveLoan),  # borrowers reach loans here
    (_l("用户管理"), "admin.user_list", (), User),
    (_l("授权申请"), "admin.grant_list", (), AccountGrant),
    (_l("审批流程"), "admin.flow_list", (), ApprovalFlow),
    (_l("工作日历"), "admin.calendar_index", (), WorkdayException),
    (_l("保管期限"), "archive.retention_list", (), RetentionRule),  # the administrator's setting
    (_l("审计日志"), "audit.event_list", (), AuditEvent),
)


def navigation_for(user) -> list[NavItem]:
    return [NavItem(label, endpoint, args, _BADGES.get(endpoint))
            for label, endpoint, args, target in _ITEMS
            if target is None or policy.can(user, Action.VIEW, target)]


_BADGES = {"approvals.request_inbox": "approvals.request_count"}


@dataclass(frozen=True)
class Section:
    """A page of a department's workspace, listed on its home page."""

    order: int
    label: str
    endpoint: str
    target: object  # what policy must allow to VIEW (a model class)
    description: str = ""

    @property
    def url(self) -> str:
        return url_for(self.endpoint)


SALES_SECTIONS: list[Section] = []
SERVICE_SECTIONS: list[Section] = []
ARCHIVE_SECTIONS: list[Section] = []


def sales_section(order: int, label, endpoint: str, target, description="") -> None:
    """Registers a page of the sales workspace (called by the sales route modules)."""
    SALES_SECTIONS.append(Section(order, label, endpoint, target, description))
    SALES_SECTIONS.sort(key=lambda s: s.order)


def service_section(order: int, label, endpoint: str, target, description="") -> None:
    """Registers a page of the customer service workspace (called by its route modules)."""
    SERVICE_SECTIONS.append(Section(order, label, endpoint, target, description))
    SERVICE_SECTIONS.sort(key=lambda s: s.order)


def archive_section(order: int, label, endpoint: str, target, description="") -> None:
    """Registers a page of the archive's workspace (called by its route modules)."""
    ARCHIVE_SECTIONS.append(Section(order, label, endpoint, target, description))
    ARCHIVE_SECTIONS.sort(key=lambda s: s.order)


def sections_for(user, sections: list[Section]) -> list[Section]:
    return [s for s in sections if policy.can(user, Action.VIEW, s.target)]
