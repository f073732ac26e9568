"""What the statistics and report routes share: the reader's scopes and the file names."""

from flask_login import current_user

from app import policy
from app.blueprints._kit import in_scope
from app.models.service.records import ServiceRecord
from app.policy.service import VisitStatistics, reads_service_detail, statistics_dimensions
from app.services.service.statistics import figures
from app.services.service.statistics.summed import Dimensions


def counted(area):
    """The records the reader may count for `area` (ServiceStatistics or SupervisionReport)."""
    return policy.scope(figures.base(), current_user, area)


def visits_counted():
    """The return visits the reader may count (the same readers, the visits' own scope)."""
    return policy.scope(figures.visits_base(), current_user, VisitStatistics)


def listed():
    """The records a report may list for the reader: their records list's own scope, or None
    for an aggregates-only reader (the sales manager)."""
    return in_scope(ServiceRecord) if reads_service_detail(current_user) else None


def summary():
    """The reader's scope on the statistics summary, or None when it is per person (counted
    live)."""
    found = statistics_dimensions(current_user)
    return None if found is None else Dimensions(*found)
