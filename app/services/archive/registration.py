"""The archive's one registration (create_app calls plug_in through its blueprint package):
its models' rules and the audit trail's names of its actions. Record kinds are filed through
the registry of services.core.record_kinds, which each department fills."""

from app import policy
from app.policy import archive as archive_policy
from app.services.archive import audit_labels, schedule
from app.services.archive.checks import labels as check_labels
from app.services.archive.disposals import registration as disposals
from app.services.archive.holds import registration as holds
from app.services.archive.items import index  # noqa: F401  (indexes each filed item's title)
from app.services.archive.items.customer_section import ArchiveSection
from app.services.archive.items.marks import archive_numbers
from app.services.archive.loans import registration as loans
from app.services.core import record_marks
from app.services.customers import related


def plug_in() -> None:
    policy.register(archive_policy.rules())
    audit_labels.register()
    schedule.register_labels()
    check_labels.register()
    loans.plug_in()
    holds.plug_in()
    disposals.plug_in()
    related.register("archive.items", ArchiveSection(), order=90)
    record_marks.register("archive.numbers", archive_numbers)
