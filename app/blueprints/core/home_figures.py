"""What 我的工作台 counts for a user: the customers of each type, the overdue visit plans and the
departments' tiles, all in one statement (pagination.CappedCounts) that the home page builds
once per user and day (services.core.viewer_statements) and runs on every visit."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from app import policy
from app.models import Customer, VisitPlan
from app.policy import Action
from app.services.core.home_tiles import pending_counts, tiles_for
from app.services.core.pagination import CappedCounts
from app.services.customers.operations import by_type
from app.services.sales.visits.lists import overdue as overdue_plans


@dataclass(frozen=True)
class HomeFigures:
    types: list | None  # the customer types counted (None: the user sees no customers)
    plans: bool  # the overdue visit plans are counted
    tiles: list
    counts: CappedCounts


def home_figures(user, today: date) -> HomeFigures:
    """The customers of each type, the overdue visit plans, then the tiles' figures."""
    cap = current_app.config["COUNT_CAP"]
    pending, types, plans = [], None, False
    if policy.can(user, Action.VIEW, Customer):
        typed = by_type(policy.scope(select(Customer), user, Customer))
        types = [kind for kind, _query in typed]
        pending += [(query, Customer, cap) for _kind, query in typed]
    if policy.can(user, Action.VIEW, VisitPlan):
        plans = True
        pending.append((overdue_plans(policy.scope(select(VisitPlan), user, VisitPlan), today),
                        VisitPlan, cap))
    tiles = tiles_for(user, today)
    return HomeFigures(types, plans, tiles, CappedCounts.of(pending + pending_counts(tiles)))
