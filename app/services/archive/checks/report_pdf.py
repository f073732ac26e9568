"""档案四性检测报告 as printed: what was checked against which scheme version, each check item
with its failures, the archive-wide findings, the conclusion, the failure list (the reader's
clearance applies; the print names how many it leaves out) and the archivist's signature with
the hash it binds. Watermarked when it lists an item of 秘密 or above; audited."""

from flask_babel import gettext as _

from app.extensions import db
from app.models import Level, User
from app.models.archive import ArchiveCheckRun
from app.services.archive.checks import report as reports
from app.services.archive.checks.lists import scope_text
from app.services.core.pdf import Printed, render, watermark
from app.timeutil import local_today

PRINTED_ROWS = 2000  # the print lists this many failures; the export has them all


def report_pdf(check_run: ArchiveCheckRun, viewer: User) -> Printed:
    """The report's print, audited as a print of the run."""
    shown = reports.report(check_run)
    query = reports.failures(check_run, viewer).order_by(reports.SORT.column)
    results = list(db.session.scalars(query.limit(PRINTED_ROWS + 1)))
    rows = [reports.failure_row(result) for result in results[:PRINTED_ROWS]]
    level = max((row.result.item.confidentiality for row in rows), default=Level.INTERNAL)
    data = render("pdf/archive/checks/report.html", report=shown, rows=rows,
                  more=len(results) > PRINTED_ROWS, hidden=reports.hidden_count(check_run, viewer),
                  scope=scope_text(check_run), level=level, watermark=watermark(level, viewer),
                  print_date=local_today())
    return Printed.named(data, _("四性检测报告"), "archive-check", str(check_run.id)).audited(
        check_run, viewer)
