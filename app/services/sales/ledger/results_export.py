"""The results page as a workbook: 月份销售实绩统计表 and 重点客户管理表 on two sheets."""

from collections.abc import Iterable, Sequence
from datetime import date

from flask_babel import gettext as _

from app.services.core.exports import Sheet, write_workbook
from app.services.sales.ledger.results import Figures, KeyCustomers, MonthResults


def write_sheets(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook of several sheets (title, headers, rows), laid out like every export."""
    return write_workbook(Sheet(title, headers, rows) for title, headers, rows in sheets)


def _figures(f: Figures) -> tuple:
    """The page's columns; 毛利 and 毛利率 read 成本未录入 while a row's cost is missing, and
    the last column counts those rows."""
    unknown = None if f.cost_known else _("成本未录入")
    return (f.sales, f.returns, f.allowances, f.net, f.cost,
            unknown if f.gross is None else f.gross,
            unknown if f.margin is None else f"{f.margin}%", f.missing_cost or None)


def month_sheet(results: MonthResults, month: date):
    """表5-11 as (title, headers, rows): a line per salesperson, then the total."""
    headers = [_("姓名"), _("销售额"), _("销货退回"), _("销货折让"), _("销货净额"), _("成本"),
               _("毛利"), _("毛利率"), _("未录成本（笔）")]
    rows = [(person.label, *_figures(person)) for person in results.people]
    rows.append((_("合计"), *_figures(results.total)))
    return _("月份销售实绩%(month)s", month=f"{month:%Y-%m}"), headers, rows


def key_sheet(key: KeyCustomers, period: tuple[date, date]):
    """重点客户管理表 as (title, headers, rows): the three top-10 lists side by side."""
    headers = [_("序号"), _("客户名称（销售额）"), _("销售额"), _("客户名称（增长率）"),
               _("增长率"), _("客户名称（利润率）"), _("利润率")]
    rows = []
    for i in range(max(len(key.by_sales), len(key.by_growth), len(key.by_margin))):
        row = [i + 1]
        for ranked, value in ((key.by_sales, lambda c: c.sales),
                              (key.by_growth, _growth), (key.by_margin, lambda c: f"{c.margin}%")):
            row += [ranked[i].label, value(ranked[i])] if i < len(ranked) else [None, None]
        rows.append(row)
    title = _("重点客户%(start)s至%(end)s", start=f"{period[0]:%Y%m%d}", end=f"{period[1]:%Y%m%d}")
    return title, headers, rows


def _growth(customer) -> str:
    return _("新客户") if customer.is_new else f"{customer.growth}%"


def results_workbook(results: MonthResults, month: date, key: KeyCustomers,
                     period: tuple[date, date]) -> bytes:
    """The results page's two tables as one workbook."""
    return write_sheets([month_sheet(results, month), key_sheet(key, period)])
