"""客服部's import pages (/service/imports/) as the browser uses them: the ledger's template
filled in, the upload, the dry run's batch and its confirmation."""

import io
import re

from openpyxl import load_workbook

from tests.factories.imports import workbook

PAGES = "/service/imports/"
_BATCH = re.compile(r"/service/imports/(\d+)/start")
# The after-sales ledger's columns (seed 000, with 001's 服务完成情况, 服务质量评价 and 员工信息).
HEADER = ["客户名称", "联系电话", "电子邮箱", "地址", "服务类型", "服务时间", "服务地点",
          "服务内容", "服务结果", "客户反馈", "服务完成情况", "服务质量评价", "员工信息",
          "跟进时间", "跟进人员", "跟进结果", "备注"]


def ledger_row(**values) -> dict:
    """A valid after-sales row (header -> value) for 华信科技有限公司, served by 孙服务 (cs2) and
    followed up by C3001 (cs1); `values` override by header."""
    base = {"客户名称": "华信科技有限公司", "服务类型": "维修", "服务时间": "2026-03-02",
            "服务内容": "更换主板", "服务结果": "已修复", "服务质量评价": 9,
            "员工信息": "孙服务 客服专员", "跟进时间": "2026-03-05", "跟进人员": "C3001",
            "跟进结果": "已解决"}
    return base | values


def ledger_workbook(rows: list[dict]) -> bytes:
    """An after-sales ledger as a department passes it on: HEADER, then one row per dict."""
    return workbook(rows, HEADER)


def filled_template(client, rows: list[dict], ledger: str = "service_records") -> bytes:
    """The ledger's template from the service import page, its header row with `rows`
    (header -> value) under it."""
    response = client.get(f"{PAGES}template/{ledger}.xlsx")
    assert response.status_code == 200
    header = next(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    return workbook(rows, list(header))


def upload(client, data: bytes, ledger: str = "service_records"):
    """POSTs the file to the service import page as the browser's form does."""
    return client.post_form(PAGES, {"ledger": ledger, "duplicate_rule": "skip",
                                    "file": (io.BytesIO(data), "售后服务台账.xlsx")},
                            token_from=PAGES, content_type="multipart/form-data")


def batch_id(response) -> int:
    """The batch of a dry-run page (from its confirm form)."""
    match = _BATCH.search(response.get_data(as_text=True))
    assert match, "no confirm form on the dry-run page"
    return int(match.group(1))


def start(client, batch: int):
    return client.post_form(f"{PAGES}{batch}/start", {"duplicate_rule": "skip"},
                            token_from=f"{PAGES}{batch}")
