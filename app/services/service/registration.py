"""The customer service department's one registration (create_app calls plug_in through its
blueprint package): its models' rules, its importers, its record kinds (the service record's
审核 flow, card and filing) and what it adds to the customer master."""

from flask_babel import lazy_gettext as _l

from app import policy
from app.models import DeptCode
from app.policy import service as service_policy
from app.services.approvals import engine as approvals
from app.services.core import departures, home_tiles, notifications, record_kinds, worktime
from app.services.customers import related
from app.services.imports import registry as importers
from app.services.service import audit_labels
from app.services.service.customer_sections import ServiceHistorySection
from app.services.service.faults import operations as fault_reports
from app.services.service.handover import ServiceHandover
from app.services.service.imports.records import ServiceRecordImporter
from app.services.service.records import notices as record_notices
from app.services.service.records.cards import ServiceRecordCard
from app.services.service.records.filing import ServiceRecordFiling
from app.services.service.records.review import RECORD_TYPE as RECORD_REVIEWED
from app.services.service.records.review import REVIEW_FLOW, ServiceRecordReview
from app.services.service.sla import labels as sla_labels
from app.services.service.sla import recompute as sla_recompute
from app.services.service.statistics import days as statistics_days
from app.services.service.visits import labels as visit_labels
from app.services.service.visits import listeners as visit_listeners
from app.services.service.visits import tiles as service_tiles


def plug_in() -> None:
    policy.register(service_policy.rules())
    audit_labels.register()
    notifications.register_messages(record_notices.MESSAGES)
    notifications.register_messages(fault_reports.MESSAGES)
    departures.register("service", ServiceHandover())
    approvals.register(REVIEW_FLOW, ServiceRecordReview(), _l("客户服务记录审核"))
    record_kinds.register_card(RECORD_REVIEWED, ServiceRecordCard())
    record_kinds.register_filing(RECORD_REVIEWED, ServiceRecordFiling())
    importers.register(ServiceRecordImporter(), _l("售后服务台账"), DeptCode.SERVICE)
    sla_labels.register()
    worktime.on_change(sla_recompute.on_calendar_change)
    visit_labels.register()
    visit_listeners.install()
    statistics_days.install()
    home_tiles.register(30, service_tiles.visits_tile)
    home_tiles.register(31, service_tiles.follow_ups_tile)
    home_tiles.register(32, service_tiles.sla_tile)
    related.register("service.records", ServiceHistorySection(), order=40)
