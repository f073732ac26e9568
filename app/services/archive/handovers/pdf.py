"""归档移交单 as printed: the list's head, its lines as the viewer may see them (with the
outcome, 档号 and pages of each), the counts and pages, and the names and times of who handed
over and who received (seeds-wave2 d2: both are printed). Watermarked from 秘密 up; audited."""

from flask_babel import gettext as _

from app.models import Level, User
from app.services.archive.handovers.lists import HandoverPage, kind_label, period_label
from app.services.core.pdf import Printed, render, watermark
from app.timeutil import local_today


def handover_sheet(page: HandoverPage, viewer: User) -> Printed:
    """The list's print, audited as a print of the list."""
    level = page.level or Level.PUBLIC
    receivers = sorted({(x.decided_by.full_name, x.decided_by.employee_no)
                        for x in page.lines if x.decided_by})
    data = render("pdf/archive/handover.html", page=page, handover=page.handover,
                  level=level, watermark=watermark(level, viewer), kind_label=kind_label,
                  period=period_label(page.handover), receivers=receivers,
                  print_date=local_today())
    return Printed.named(data, _("归档移交单"), "archive-handover",
                         page.handover.number).audited(page.handover, viewer, level=page.level)
