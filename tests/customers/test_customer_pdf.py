"""The printed 客户资料管理表: the seed form's layout, masked personal data, the signatures,
their validity, and the watermark on 秘密 and 机密 records."""

import re

import pytest
from sqlalchemy import text

from app.extensions import db
from app.models import CustomerKind, Level
from tests.factories.approvals import approved_customer
from tests.factories.customers import make_customer
from tests.factories.people import print_team
from tests.support import pdf_reader, pdf_text

WATERMARK = re.compile(r"王建国 · M2001 · \d{4}-\d\d-\d\d \d\d:\d\d")  # viewer, number, time
PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def team(app):
    """A salesperson, their manager and a 客服 colleague, named and cleared for 机密."""
    return print_team(app)


def _print(client, customer) -> bytes:
    response = client.get(f"/customers/{customer.id}/print.pdf")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return response.data


def test_the_form_shows_title_header_fields_and_signers_after_approval(client, app, team):
    customer = approved_customer(app, team, name="华南精密仪器有限公司")
    client.login("sales1")
    text_ = pdf_text(_print(client, customer))
    for expected in ("华兴科技有限公司", "客户资料管理表", "填制部门：销售部",
                     f"档案编号：{customer.number}", "填表日期", "华南精密仪器有限公司",
                     "密级：内部", "已生效", "签字有效", "制表 李晓明（S1001）",
                     "审核 王建国（M2001） 同意"):
        assert expected in text_, expected


def test_a_one_page_form_says_page_1_of_1(client, app, team):
    customer = approved_customer(app, team)
    client.login("sales1")
    data = _print(client, customer)
    assert len(pdf_reader(data).pages) == 1
    assert "第 1 页 / 共 1 页" in pdf_text(data)


def test_a_draft_prints_without_approval_signatures(client, app, team):
    customer = make_customer(app, team.staff)
    client.login("sales1")
    text_ = pdf_text(_print(client, customer))
    assert "草稿" in text_ and "尚未审批生效" in text_ and "尚无审批签字" in text_
    assert "王建国" not in text_


def test_personal_data_is_printed_masked_never_in_clear(client, app, team):
    customer = make_customer(app, team.staff, kind=CustomerKind.PERSON, phone=PHONE,
                             id_number=ID_NUMBER, name="孙悟空")
    client.login("sales1")
    text_ = pdf_text(_print(client, customer))
    assert "139****5678" in text_ and "1101**********002X" in text_
    assert PHONE not in text_ and ID_NUMBER not in text_


def test_the_cjk_font_is_embedded_and_is_the_only_font(client, app, team):
    """No fallback font sneaks in (a missing glyph, a bold face) to grow the file."""
    customer = make_customer(app, team.staff)
    client.login("sales1")
    page = pdf_reader(_print(client, customer)).pages[0]
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    names = {font["/BaseFont"].split("+")[-1] for font in fonts}
    assert names == {"WenQuanYi-Micro-Hei-GB"}  # a subset ("ABCDEF+" prefix) of the one font
    descriptor = fonts[0]["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    assert "/FontFile2" in descriptor


@pytest.mark.parametrize("level, watermarked", [
    (Level.PUBLIC, False), (Level.INTERNAL, False),
    (Level.SECRET, True), (Level.CONFIDENTIAL, True)])
def test_secret_and_confidential_prints_carry_the_viewers_watermark(client, app, team, level,
                                                                     watermarked):
    customer = make_customer(app, team.staff, confidentiality=level)
    client.login("sales_mgr")
    text_ = pdf_text(_print(client, customer))
    assert bool(WATERMARK.search(text_)) is watermarked
    assert f"密级：{level.label}" in text_


def test_a_record_changed_behind_the_approval_prints_signature_invalid(client, app, team):
    customer = approved_customer(app, team, name="原名有限公司")
    with app.app_context():
        db.session.execute(text("UPDATE customers SET name = :name WHERE id = :id"),
                           {"name": "篡改后有限公司", "id": customer.id})
        db.session.commit()
    client.login("sales1")
    text_ = pdf_text(_print(client, customer))
    assert "签字失效" in text_ and "篡改后有限公司" in text_
    assert "签字有效" not in text_


def test_an_intact_approved_record_is_not_marked_invalid(client, app, team):
    customer = approved_customer(app, team)
    client.login("sales1")
    assert "签字失效" not in pdf_text(_print(client, customer))


def test_a_name_outside_gb_2312_prints_in_the_same_embedded_font(client, app, team):
    """Rule: glyph coverage is the whole font's, not GB 2312's: 堃 prints, and no other font."""
    customer = make_customer(app, team.staff, name="王堃数码有限公司")
    client.login("sales1")
    data = _print(client, customer)
    assert "王堃数码有限公司" in pdf_text(data)
    fonts = pdf_reader(data).pages[0]["/Resources"]["/Font"].values()
    assert {font.get_object()["/BaseFont"].split("+")[-1] for font in fonts} == {
        "WenQuanYi-Micro-Hei-GB"}
