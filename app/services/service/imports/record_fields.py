"""The after-sales ledger's columns (售后服务台账 000 L2–14, with the 售后服务情况登记表 001 L26–47
names as aliases) and one row read into values. 服务质量评价 is scored 1–10 on the 登记表 and
stored on the 1–5 scale as ⌈x/2⌉."""

import math

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.models.service.follow_ups import FollowUpResult
from app.models.service.records import AfterSalesKind, ServiceStatus
from app.services.imports.base import Column, cell_text
from app.services.imports.fields import RowCells, add_synonyms, allowed, choice_table

TEXTS = (("customer", 100), ("phone", 20), ("email", 100), ("address", 200), ("place", 200),
         ("content", 4000), ("result", 4000), ("feedback", 4000), ("staff", 50),
         ("follow_user", 50), ("remarks", 1000))
CHOICES = {"kind": AfterSalesKind, "progress": ServiceStatus, "follow_result": FollowUpResult}
# The 登记表's 服务完成情况 (001 L30): 未开始 = 待处理, 进行中 = 处理中 (spec a3).
add_synonyms(ServiceStatus, {ServiceStatus.PENDING: ("未开始",),
                             ServiceStatus.PROCESSING: ("进行中",)})
add_synonyms(FollowUpResult, {FollowUpResult.UNRESOLVED: ("未解决",),
                              FollowUpResult.ABANDONED: ("放弃",)})
IMPORTED_STATUSES = (ServiceStatus.PENDING, ServiceStatus.PROCESSING, ServiceStatus.DONE)


def columns() -> tuple[Column, ...]:
    progress = "、".join(str(s.label) for s in IMPORTED_STATUSES)
    return (
        Column("customer", "客户名称", True, _l("客户档案中已登记的客户全称"),
               aliases=("客户信息", "客户姓名")),
        Column("phone", "联系电话", False, _l("不填则取客户档案的电话"), aliases=("联系方式",),
               text=True),
        Column("email", "电子邮箱"),
        Column("address", "地址", False, _l("客户实际收货地址；不填则取客户档案的地址"),
               aliases=("收货地址",)),
        Column("kind", "服务类型", False,
               _l("可填：%(allowed)s；不填为其他", allowed=allowed(AfterSalesKind)),
               aliases=("售后服务类型",)),
        Column("service_date", "服务时间", True, _l("服务开始日期，如 2026-01-15"),
               aliases=("服务请求日期",)),
        Column("place", "服务地点", False, _l("服务地点或项目名称")),
        Column("content", "服务内容", True, _l("如维修部位、更换部件等"),
               aliases=("产品/服务描述",)),
        Column("result", "服务结果"),
        Column("feedback", "客户反馈", aliases=("反馈意见",)),
        Column("progress", "服务完成情况", False,
               _l("可填：%(allowed)s（未开始、进行中亦可）；不填时有服务结果为已完成，否则为待处理",
                  allowed=progress)),
        Column("rating", "服务质量评价", False,
               _l("1（非常差）到 10（非常好），按 ⌈分数/2⌉ 折算为 1–5 分")),
        Column("staff", "员工信息", False, _l("负责人的姓名或工号（客服部）；不填为导入人"),
               aliases=("负责人",)),
        Column("follow_date", "跟进时间", False, _l("跟进日期，如 2026-01-20"),
               aliases=("服务跟踪日期",)),
        Column("follow_user", "跟进人员", False, _l("姓名或工号（客服部）；不填为导入人")),
        Column("follow_result", "跟进结果", False, _l("可填：%(allowed)s",
                                                   allowed=allowed(FollowUpResult))),
        Column("remarks", "备注"),
    )


class RecordReader:
    """Reads ledger rows for one file."""

    def __init__(self, labels: dict[str, str]):
        self.labels = labels
        self.tables = {key: choice_table(enum) for key, enum in CHOICES.items()}

    def read(self, cells: dict) -> tuple[dict, list[str]]:
        """(values, problems) of a row."""
        row = RowCells(cells, self.labels)
        values = {key: row.text(key, most, required=key in ("customer", "content"))
                  for key, most in TEXTS}
        values["service_date"] = row.day("service_date", required=True)
        values["follow_date"] = row.day("follow_date")
        for key, enum in CHOICES.items():
            values[key] = row.choice(key, self.tables[key], enum)
        if values["progress"] is not None and values["progress"] not in IMPORTED_STATUSES:
            row.problems.append(_("「%(column)s」只能填写已完成、进行中或未开始。",
                                  column=self.labels["progress"]))
        values["satisfaction"] = self._rating(row, cells.get("rating"))
        if values["follow_date"] is None and (values["follow_user"] or values["follow_result"]):
            row.problems.append(_("填写了跟进人员或跟进结果时，请填写「%(column)s」。",
                                  column=self.labels["follow_date"]))
        return values, row.problems

    def _rating(self, row: RowCells, raw) -> int | None:
        """服务质量评价 1–10 as 满意度 1–5 (⌈x/2⌉); a problem for anything else."""
        text = cell_text(raw)
        if not text:
            return None
        score = raw if isinstance(raw, int) else (
            int(raw) if isinstance(raw, float) and raw.is_integer() else
            (int(text) if text.isascii() and text.isdigit() else None))
        if score is None or not 1 <= score <= 10:
            row.problems.append(_("「%(column)s」须为 1 到 10 的整数，「%(value)s」不是。",
                                  column=self.labels["rating"], value=text[:20]))
            return None
        return math.ceil(score / 2)
