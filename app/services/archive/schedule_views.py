"""What the schedule's pages, exports and print read: the rules as rows with who changed them
last, and the history of changes, newest first (paged on its page, whole in its export)."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Level, User
from app.models.archive import RetentionRuleChange
from app.services.archive.schedule import kind_label, rows, years_text
from app.services.core import audit
from app.services.core.pagination import Page, Sort, counted_page
from app.services.core.pdf import Printed, render
from app.timeutil import local_today, to_local

HISTORY_SORT = Sort(RetentionRuleChange.id, True)
HISTORY_LOADS = (selectinload(RetentionRuleChange.rule),
                 selectinload(RetentionRuleChange.changed_by))
RECENT = 10


def editors(schedule) -> dict[int, str]:
    """Who last changed each rule: user id → name (one query for the page)."""
    ids = {row.rule.updated_by_id for row in schedule} - {None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())


def history_page(after: str | None = None, before: str | None = None
                 ) -> tuple[Page, int, bool]:
    """One page of the changes, newest first, with the capped count."""
    return counted_page(select(RetentionRuleChange).options(*HISTORY_LOADS),
                        RetentionRuleChange, HISTORY_SORT, after=after, before=before)


def recent_changes() -> list[RetentionRuleChange]:
    """The latest changes, for the schedule page."""
    return list(db.session.scalars(select(RetentionRuleChange).options(*HISTORY_LOADS)
                                   .order_by(RetentionRuleChange.id.desc()).limit(RECENT)))


def period_text(code: str | None, years: int | None, trigger) -> str:
    """"D10 · 10 年 · 自履行完毕起" as a row shows a rule's values; empty for none (an
    addition's old values)."""
    if code is None:
        return ""
    if years is None:
        return f"{code} · {years_text(years)}"
    return f"{code} · {years_text(years)} · " + _("自%(event)s起", event=trigger.label)


def schedule_table():
    """(headers, rows) of the schedule as the page lists it."""
    headers = [_("档案类别"), _("记录类型"), _("保管期限代码"), _("保管期限"), _("起算事件"),
               _("在库档案（件）"), _("最近修改"), _("修改人")]
    schedule = rows()
    names = editors(schedule)
    return headers, [
        (row.label, row.rule.record_type, row.rule.code, years_text(row.rule.years),
         str(row.rule.trigger.label), row.items, _when(row.rule.updated_at),
         names.get(row.rule.updated_by_id)) for row in schedule]


def history_table():
    """(headers, rows) of every change, newest first."""
    headers = [_("修改时间"), _("档案类别"), _("原保管期限"), _("新保管期限"), _("原因"),
               _("修改人")]
    query = select(RetentionRuleChange).options(*HISTORY_LOADS).order_by(
        *HISTORY_SORT.order_by(RetentionRuleChange, True))
    return headers, (
        (_when(change.changed_at), kind_label(change.rule.record_type),
         period_text(change.old_code, change.old_years, change.old_trigger),
         period_text(change.new_code, change.new_years, change.new_trigger), change.reason,
         change.changed_by.full_name) for change in db.session.scalars(query))


def schedule_sheet(viewer: User) -> Printed:
    """保管期限表 as printed (the schedule as the page lists it), audited."""
    schedule = rows()
    data = render("archive/retention/print.html", schedule=schedule, level=Level.INTERNAL,
                  watermark=None, print_date=local_today(), years_text=years_text)
    printed = Printed.named(data, _("档案保管期限表"), "retention-schedule",
                            local_today().isoformat())
    audit.record("print", object_type="RetentionRule", object_label=printed.filename,
                 actor=viewer, changes={"document": printed.filename, "rows": len(schedule)})
    return printed


def _when(value) -> str | None:
    return to_local(value).strftime("%Y-%m-%d %H:%M") if value else None
