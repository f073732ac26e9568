"""The statistics and the reports as workbooks: one sheet per table of the page, the record
lines only where the reader may see them (never in the sales manager's copy)."""

from flask_babel import gettext as _

from app.services.core.exports import Properties, Sheet, write_workbook
from app.services.service.statistics import tables
from app.services.service.statistics.figures import Figures
from app.services.service.statistics.reports import Lines, Report


def _sheets(f: Figures) -> list[Sheet]:
    """The figures' tables, each headed by the period."""
    note = [_("统计期间：%(period)s", period=f.period.label)]
    return [Sheet(title, *table(f), notes=note) for title, table in (
        (_("服务次数"), tables.type_table), (_("满意度"), tables.satisfaction_table),
        (_("配件"), tables.parts_table), (_("常用配件"), tables.top_parts_table),
        (_("时效与跟进"), tables.timeliness_table))]


def _lines(title: str, lines: Lines) -> Sheet:
    return Sheet(title, tables.line_headers(), (tables.line_row(r) for r in lines.rows),
                 notes=[_("共 %(n)d 条，列出前 %(shown)d 条。", n=lines.total,
                          shown=len(lines.rows))] if lines.cut else [])


def statistics_workbook(f: Figures) -> bytes:
    """客服统计 of the period."""
    return write_workbook(_sheets(f), Properties(title=_("客服统计") + " " + f.period.label))


def report_workbook(report: Report, title: str) -> bytes:
    """A weekly or monthly report: its figures, then its record lines if it has them."""
    sheets = _sheets(report.figures)
    if report.detail and report.kind == "weekly":
        sheets += [_lines(_("本周服务"), report.records), _lines(_("客户反馈"), report.feedback)]
    if report.detail and report.kind == "monthly":
        sheets.append(_lines(_("超时记录"), report.breaches))
    return write_workbook(sheets, Properties(title=f"{title} {report.figures.period.label}"))
