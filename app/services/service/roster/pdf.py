"""值班情况登记表 as printed: a month of the roster (日期、值班人员、交接时间、工作内容、工作时长、
备注) with its total hours; the print is audited."""

from flask_babel import gettext as _

from app.models import User
from app.models.accounts import Level
from app.services.core import audit
from app.services.core.pdf import Printed, render
from app.services.service.roster.lists import Roster
from app.timeutil import local_today


def roster_sheet(listed: Roster, viewer: User, person: User | None = None) -> Printed:
    """The month's roster as the page lists it (one person's when `person`), audited."""
    month = listed.month.strftime("%Y-%m")
    data = render("service/roster/print.html", roster=listed, person=person,
                  level=Level.INTERNAL, watermark=None, print_date=local_today())
    printed = Printed.named(data, _("值班情况登记表"), "duty-roster", month)
    audit.record("print", object_type="DutyShift", object_label=f"{printed.filename}",
                 actor=viewer, changes={"document": printed.filename, "rows": len(listed.rows),
                                        "user_id": person.id if person else None})
    return printed
