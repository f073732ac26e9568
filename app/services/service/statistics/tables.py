"""The statistics as tables (headers, rows): what the pages, the PDFs and the workbooks show,
written once. Rates are percentages with one decimal, means two, money Decimal."""

from decimal import Decimal

from flask_babel import gettext as _

from app.models.customers import CustomerType
from app.models.service.records import ServiceRecord, ServiceType
from app.services.service import satisfaction
from app.services.service.statistics.figures import Figures, Tally


def _tally_cells(t: Tally) -> tuple:
    return (t.count, t.open, t.rework, t.rework_rate, t.response_breached,
            t.resolution_breached, t.answered, t.satisfaction_rate, t.satisfaction_mean)


def type_table(f: Figures) -> tuple[list[str], list[tuple]]:
    """服务次数 by service type, the after-sales kinds under 售后维护, and the 合计."""
    headers = [_("服务类型"), _("服务次数"), _("未结"), _("返修"), _("返修率(%)"), _("响应超时"),
               _("解决超时"), _("评价数"), _("满意率(%)"), _("平均分")]
    rows = []
    for kind, tally in f.by_type.items():
        rows.append((str(kind.label), *_tally_cells(tally)))
        if kind == ServiceType.AFTERSALES:
            rows += [(f"　{kind.label} · {sub.label if sub else _('未分类')}", *_tally_cells(t))
                     for sub, t in f.by_kind.items() if sub or t.count]
    rows.append((_("合计"), *_tally_cells(f.total)))
    return headers, rows


def satisfaction_table(f: Figures) -> tuple[list[str], list[tuple]]:
    """满意度 by 客户类型 × 服务类型 (only the pairs with records)."""
    headers = [_("客户类型"), _("服务类型"), _("服务次数"), _("评价数"), _("满意数"),
               _("满意率(%)"), _("平均分")]
    rows = [(str(customer.label), str(service.label), t.count, t.answered, t.satisfied,
             t.satisfaction_rate, t.satisfaction_mean)
            for customer in CustomerType for service in ServiceType
            if (t := f.matrix[(customer, service)]).count]
    return headers, rows


def quantity(value: Decimal) -> Decimal:
    """A quantity without trailing zeros (2, 1.5), never in exponent form."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def parts_table(f: Figures) -> tuple[list[str], list[tuple]]:
    """维修/保养部件 and 配件销售: lines, quantity, amount."""
    p = f.parts
    return [_("项目"), _("明细行数"), _("数量"), _("金额(元)")], [
        (_("维修/保养部件"), p.used_lines, quantity(p.used_quantity), p.used_amount),
        (_("配件销售"), p.sold_lines, quantity(p.sold_quantity), p.sold_amount)]


def top_parts_table(f: Figures) -> tuple[list[str], list[tuple]]:
    """The parts most used or sold, by quantity."""
    return [_("配件名称"), _("规格型号"), _("数量"), _("金额(元)")], [
        (name, spec or "", quantity(count), amount) for name, spec, count, amount in f.parts.top]


def timeliness_table(f: Figures) -> tuple[list[str], list[tuple]]:
    """SLA breaches, rework, follow-ups and return visits as (指标, 数值)."""
    t, fu, v = f.total, f.follow_ups, f.visits
    return [_("指标"), _("数值")], [
        (_("响应超时（次）"), t.response_breached), (_("解决超时（次）"), t.resolution_breached),
        (_("返修（次）"), t.rework), (_("返修率(%)"), t.rework_rate),
        (_("跟进（次）"), fu.entered), (_("补录跟进（次）"), fu.late),
        (_("补录率(%)"), fu.late_rate), (_("逾期未跟进（件，仍未结）"), fu.overdue),
        (_("计划回访（次）"), v.due), (_("已回访（次）"), v.done),
        (_("逾期未回访（次）"), v.overdue), (_("回访满意率(%)"), v.satisfaction_rate)]


def line_headers() -> list[str]:
    """The columns of a report's record lines."""
    return [_("服务编号"), _("服务时间"), _("客户名称"), _("服务类型"), _("处理进度"),
            _("负责人"), _("满意度"), _("客户反馈"), _("超时")]


def line_row(r: ServiceRecord) -> tuple:
    """One record of a report (no phone, no contact person: the report's lines name the
    customer and what it said, nothing personal beyond that)."""
    late = "、".join(word for flag, word in ((r.response_breached, _("响应")),
                                            (r.resolution_breached, _("解决"))) if flag)
    return (r.number, r.service_at, r.customer.name, str(r.service_type.label),
            str(r.status.label), r.handler.full_name if r.handler else "",
            satisfaction.label(r.satisfaction), r.feedback or "", late)
