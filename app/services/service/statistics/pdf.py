"""The statistics and the reports as PDF, in the 003 form frame: 填制部门, 档案编号 (a report is
not filed: —), the period, the same tables and SVG charts as the page, and the 编制 / 审核 /
批准 lines. The mark is the highest level among the records the copy lists (内部 for figures
alone); from 秘密 up it carries the viewer's watermark. Every print is audited."""

from flask_babel import gettext as _

from app.models import Level, User
from app.services.core.pdf import Printed, render, watermark
from app.services.service.statistics import tables
from app.services.service.statistics.charts import figure_charts
from app.services.service.statistics.figures import Figures
from app.services.service.statistics.reports import Report
from app.timeutil import local_today


def _level(report: Report | None) -> Level:
    """The highest confidentiality among the listed records, at least 内部."""
    listed = [] if report is None else [*report.records.rows, *report.feedback.rows,
                                        *report.breaches.rows]
    return max([Level.INTERNAL, *(r.confidentiality for r in listed)])


def _tables(f: Figures) -> list:
    return [(_("服务次数"), *tables.type_table(f)), (_("满意度（客户类型 × 服务类型）"),
                                                    *tables.satisfaction_table(f)),
            (_("配件"), *tables.parts_table(f)), (_("常用配件"), *tables.top_parts_table(f)),
            (_("时效与跟进"), *tables.timeliness_table(f))]


def _print(title: str, ascii_title: str, f: Figures, viewer: User, report: Report | None,
           object_type: str) -> Printed:
    level = _level(report)
    data = render("pdf/service/statistics.html", title=title, figures=f, report=report,
                  tables=_tables(f), charts=figure_charts(f), level=level,
                  department=viewer.department.label, print_date=local_today(),
                  line_headers=tables.line_headers(), line_row=tables.line_row,
                  watermark=watermark(level, viewer))
    return Printed.named(data, title, ascii_title, f.period.code).audited(
        None, viewer, object_type=object_type, object_label=f"{title} {f.period.label}")


def statistics_pdf(f: Figures, viewer: User) -> Printed:
    """客服统计 of the period."""
    return _print(_("客服统计"), "service-statistics", f, viewer, None, "ServiceStatistics")


def report_pdf(report: Report, title: str, ascii_title: str, viewer: User) -> Printed:
    """The weekly report or the monthly 服务监督报告."""
    object_type = "SupervisionReport" if report.kind == "monthly" else "ServiceStatistics"
    return _print(title, ascii_title, report.figures, viewer, report, object_type)
