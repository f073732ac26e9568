"""Excel imports: workbooks as the import page takes them (customer, contract and sales rows),
and the upload, dry run and confirmation as the browser posts them."""

import io
import re

from openpyxl import Workbook, load_workbook

HEADERS = ["客户名称", "联系人", "联系电话", "所属行业", "客户类型", "客户等级", "客户来源",
           "首次接触时间", "备注", "客户性质", "电子邮箱", "地址", "密级", "身份证号"]
CONTRACT_HEADERS = ["合同编号", "合同名称", "客户名称", "客户编号", "合同种类", "签订日期",
                    "合同开始日期", "合同结束日期", "产品名称", "规格型号", "单位", "数量", "单价",
                    "金额", "预付款", "预付款到期日期", "验收款", "验收款到期日期", "质保金",
                    "质保金到期日期", "交货日期", "交货地点", "密级", "备注"]
SALES_HEADERS = ["日期", "客户名称", "联系方式", "产品名称", "规格型号", "数量", "单价", "金额",
                 "发票", "类别", "成本", "合同编号", "备注"]
_BATCH = re.compile(r"/sales/imports/(\d+)/start")


def row(n: int, **fields) -> dict:
    """A valid customer row (header -> value); `fields` override by header."""
    values = {"客户名称": f"导入测试{n}有限公司", "联系人": "王经理", "联系电话": f"1390000{n:04d}",
              "所属行业": "信息技术服务", "客户类型": "成交客户", "客户等级": "A类(重点)",
              "客户来源": "展会", "首次接触时间": "2025-03-01", "备注": "批量导入"}
    values.update(fields)
    return values


def contract_row(n: int, customer: str, **fields) -> dict:
    """A valid contract row for `customer` (its name): 2 × ¥500.00 in two terms."""
    values = {"合同名称": f"导入合同{n}", "客户名称": customer, "签订日期": "2026-01-10",
              "产品名称": "服务器", "规格型号": "X1", "单位": "台", "数量": 2, "单价": "500.00",
              "预付款": "300.00", "预付款到期日期": "2026-02-01", "验收款": "700.00",
              "验收款到期日期": "2026-03-01"}
    values.update(fields)
    return values


def sales_row(n: int, contract: str, **fields) -> dict:
    """A valid sales ledger row under `contract` (its number): 2 × ¥100.00."""
    values = {"日期": f"2026-02-{n:02d}", "合同编号": contract, "产品名称": "服务器",
              "规格型号": "X1", "数量": 2, "单价": "100.00", "发票": f"FP{n:04d}"}
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


def filled_template(client, ledger: str, rows: list[dict]) -> bytes:
    """The ledger's downloaded template with `rows` (header -> value) filled in."""
    book = load_workbook(io.BytesIO(client.get(f"/sales/imports/template/{ledger}.xlsx").data))
    header = [c.value for c in book.active[1]]
    for values in rows:
        book.active.append([values.get(h) for h in header])
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


def imported(client, rows: list[dict], rule: str = "skip", ledger: str = "customers") -> int:
    """Uploads `rows`, confirms the dry run and returns the batch (jobs must run inline)."""
    headers = {"customers": HEADERS, "contracts": CONTRACT_HEADERS, "sales": SALES_HEADERS}
    response = upload(client, workbook(rows, headers[ledger]), ledger=ledger, rule=rule)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    batch = batch_id(response)
    assert start(client, batch, rule).status_code == 303
    return batch
