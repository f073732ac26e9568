"""故障分析报告 as printed: the first report and the analysis, with who reported and who
completed it; watermarked from 秘密 up, and audited."""

from flask_babel import gettext as _

from app.models import User
from app.models.service.roster import FaultReport
from app.services.core.pdf import Printed, render, watermark
from app.services.service.faults.lists import load_page
from app.timeutil import local_today


def fault_sheet(report: FaultReport, viewer: User) -> Printed:
    """The report's print, audited as a print of the report."""
    load_page(report)
    level = report.confidentiality
    data = render("service/fault/print.html", report=report, level=level,
                  watermark=watermark(level, viewer), print_date=local_today())
    return Printed.named(data, _("故障分析报告"), "fault-report", report.number).audited(
        report, viewer)
