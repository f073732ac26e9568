"""The 销售合同评审表 of an ordinary contract (three product lines, three payment terms, reviewed
by the sales manager and approved by the GM, as in the demo data) is one A4 page with its whole
frame: header, footer "page x / y", the viewer's watermark and the signature block."""

import re

import pytest

from app.models import Level
from tests.factories.approvals import sign_as
from tests.factories.people import make_team
from tests.factories.sales import make_contract, submit
from tests.support import pdf_reader, pdf_text

LINES = (("UPS 电源", "20kVA", "台", "1", "18800.00"),
         ("软件许可", "企业版", "套", "5", "45000.00"),
         ("存储阵列", "S5500", "套", "6", "128000.00"))
TERMS = (("advance", "303540.00", "2026-09-21"), ("acceptance", "607080.00", "2027-01-15"),
         ("retention", "101180.00", "2027-09-06"))
WATERMARK = re.compile(r"王建国 · M2001 · \d{4}-\d\d-\d\d \d\d:\d\d")


@pytest.fixture
def team(app):
    """The contract's salesperson, the sales manager and the GM, cleared for 机密 and named."""
    return make_team(app, {"staff": "sales1", "manager": "sales_mgr", "gm": "gm"}, named=True,
                     cleared=Level.CONFIDENTIAL)


def test_an_approved_three_line_contract_prints_on_one_page_with_its_frame(client, app, team):
    contract = make_contract(app, by=team.staff, lines=LINES, terms=TERMS, level=Level.SECRET,
                             name="大连振兴综合服务有限公司UPS电源采购合同",
                             delivery_place="大连市滨海新区学府路433号", copies=2)
    request_id = submit(app, contract, team.staff)
    sign_as(app, request_id, team.manager)
    sign_as(app, request_id, team.gm)
    client.login("sales_mgr")
    data = client.get(f"/sales/contracts/{contract.id}/review.pdf").data
    text = pdf_text(data)
    assert len(pdf_reader(data).pages) == 1
    for expected in ("华兴科技有限公司", "密级：秘密", "第 1 页 / 共 1 页", "评审签字",
                     "制表：李晓明（S1001）", "审核：王建国（M2001）", "批准：赵总（G0001）",
                     "存储阵列", "¥1,011,800.00", "注：1.本表一式多份"):
        assert expected in text, expected
    assert WATERMARK.search(text)
