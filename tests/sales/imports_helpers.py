"""Helpers of the Excel import tests: workbooks, uploads, and jobs run inline.

Jobs run in Huey's immediate mode, switched on by the `immediate_jobs` fixture of these tests
(not by an environment variable): tests/conftest.py is shared, and an env var would have to be
set by whoever starts pytest. In immediate mode the job runs inside the request that starts it,
in that request's app context, against the test database.
"""

import io
import re

import pytest
from openpyxl import Workbook

from app import jobs

HEADERS = ["客户名称", "联系人", "联系电话", "所属行业", "客户类型", "客户等级", "客户来源",
           "首次接触时间", "备注", "客户性质", "电子邮箱", "地址", "密级", "身份证号"]
_BATCH = re.compile(r"/sales/imports/(\d+)/start")


@pytest.fixture
def immediate_jobs():
    """Runs every job inside the request that enqueues it."""
    jobs.huey.immediate = True
    yield
    jobs.huey.immediate = False


def row(n: int, **fields) -> dict:
    """A valid customer row (header -> value); `fields` override by header."""
    values = {"客户名称": f"导入测试{n}有限公司", "联系人": "王经理", "联系电话": f"1390000{n:04d}",
              "所属行业": "信息技术服务", "客户类型": "成交客户", "客户等级": "A类(重点)",
              "客户来源": "展会", "首次接触时间": "2025-03-01", "备注": "批量导入"}
    values.update(fields)
    return values


def workbook(rows: list[dict], headers: list[str] = HEADERS) -> bytes:
    """An .xlsx with `headers` in the first row and one row per dict."""
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(h) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, ledger: str = "customers", rule: str = "skip",
           filename: str = "客户.xlsx"):
    """POSTs the file to /sales/imports/ as the browser's form does (multipart, CSRF)."""
    return client.post_form("/sales/imports/", {"ledger": ledger, "duplicate_rule": rule,
                                                "file": (io.BytesIO(data), filename)},
                            token_from="/sales/imports/", content_type="multipart/form-data")


def batch_id(response) -> int:
    """The batch of a dry-run page (from its confirm form)."""
    match = _BATCH.search(response.get_data(as_text=True))
    assert match, "no confirm form on the dry-run page"
    return int(match.group(1))


def start(client, batch: int, rule: str = "skip"):
    return client.post_form(f"/sales/imports/{batch}/start", {"duplicate_rule": rule},
                            token_from=f"/sales/imports/{batch}")


def imported(client, rows: list[dict], rule: str = "skip") -> int:
    """Uploads `rows`, confirms the dry run and returns the batch (jobs must run inline)."""
    response = upload(client, workbook(rows), rule=rule)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    batch = batch_id(response)
    assert start(client, batch, rule).status_code == 303
    return batch
