"""The statistics page and the reports as their readers see them: the figures of the period
asked for, the charts drawn on the server, the sales manager's copy without personal data."""

import io

from openpyxl import load_workbook

from tests.support import pdf_text

NAMES = ("甲统计客户有限公司", "乙统计客户有限公司", "丙机密客户有限公司")


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _flat(text: str) -> str:
    """A PDF's text without the line breaks and spaces a table cell wraps its words with."""
    return text.replace("\n", "").replace(" ", "")


def _book_text(response) -> str:
    assert response.status_code == 200, response.status_code
    book = load_workbook(io.BytesIO(response.data))
    return str([list(ws.values) for ws in book.worksheets])


def test_the_page_shows_the_year_and_draws_its_charts(client, year):
    """The GM's 2026 page: 6 services, 40.0 % satisfied, and three inline SVG charts (no script
    library: the page has no <canvas> and no chart script)."""
    client.login("gm")
    html = _text(client.get("/service/statistics/?year=2026"))
    assert 'data-figure="count">6<' in html
    assert 'data-figure="rate">40.0%<' in html
    assert html.count("<svg") == 3 and 'id="chart-types"' in html
    assert "<canvas" not in html and "chart.js" not in html.lower()


def test_a_quarter_is_chosen_with_the_selector(client, year):
    """季度 1 of 2026: five services (r5 is in May)."""
    client.login("gm")
    html = _text(client.get("/service/statistics/?year=2026&quarter=1"))
    assert 'data-figure="count">5<' in html and "2026 年第 1 季度" in html


def test_an_impossible_year_is_refused_with_a_message(client, year):
    """A year outside 2000–2100 or a quarter 5 is 422 with the form's message, never a 500."""
    client.login("gm")
    for query in ("year=99999", "year=abc", "quarter=5"):
        response = client.get(f"/service/statistics/?{query}")
        assert response.status_code == 422, query
        assert 'id="period-invalid"' in response.get_data(as_text=True)
    assert client.get("/service/statistics/export.xlsx?year=1").status_code == 422


def test_the_export_has_every_table(client, year):
    """The workbook: 服务次数, 满意度, 配件, 常用配件, 时效与跟进, with the exact amounts."""
    client.login("gm")
    response = client.get("/service/statistics/export.xlsx?year=2026")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["服务次数", "满意度", "配件", "常用配件", "时效与跟进"]
    parts = list(book["配件"].values)
    assert parts[3] == ("配件销售", 3, 4.5, 1375.5)
    total = [row for row in book["服务次数"].values if row[0] == "合计"][0]
    assert total[1:4] == (6, 2, 1)


def test_the_statistics_print_has_the_form_frame(client, year):
    """The PDF: title, 填制部门, 档案编号, the period and the 编制/审核/批准 lines."""
    client.login("cs_mgr")
    text = pdf_text(client.get("/service/statistics/print.pdf?year=2026").data)
    for words in ("客服统计", "填制部门", "客服部", "档案编号", "2026 年", "编制", "审核", "批准"):
        assert words in text, words


def test_the_weekly_report_lists_the_weeks_records_and_feedback(client, year):
    """The week of 2026-03-05 holds r3 (with its feedback 响应速度需提升), for the 客服
    manager; the week's figures count it once."""
    client.login("cs_mgr")
    html = _text(client.get("/service/statistics/weekly?week=2026-03-06"))
    assert 'data-figure="count">1<' in html
    assert "甲统计客户有限公司" in html and "响应速度需提升" in html
    text = _flat(pdf_text(client.get("/service/statistics/weekly.pdf?week=2026-03-06").data))
    assert "客服周报" in text and "响应速度需提升" in text


def test_staff_see_the_weekly_report_of_their_own_records(client, year):
    """cs1 did not handle r3: their report of that week counts nothing and lists nothing."""
    client.login("cs1")
    html = _text(client.get("/service/statistics/weekly?week=2026-03-06"))
    assert 'data-figure="count">0<' in html and "甲统计客户有限公司" not in html


def test_the_supervision_report_lists_the_months_breaches(client, year):
    """March 2026: r3 and r4 were late (listed for the GM); the month before, February, had
    r2 and r6 (the GM counts the 机密 one too): the trend line says 2 services."""
    client.login("gm")
    html = _text(client.get("/service/statistics/monthly?month=2026-03"))
    assert 'id="lines-breaches"' in html
    assert html.count('data-record="') == 2
    assert "上月：服务 2 次" in html


def test_the_sales_manager_sees_figures_without_personal_data(client, year):
    """服务、监督两条线: the sales manager's statistics, weekly and monthly reports (page,
    workbook, PDF) show the figures but no customer name, phone, contact or feedback text."""
    client.login("sales_mgr")
    pages = [_text(client.get(url)) for url in (
        "/service/statistics/?year=2026", "/service/statistics/weekly?week=2026-03-06",
        "/service/statistics/monthly?month=2026-03")]
    books = [_book_text(client.get(url)) for url in (
        "/service/statistics/export.xlsx?year=2026",
        "/service/statistics/weekly.xlsx?week=2026-03-06",
        "/service/statistics/monthly.xlsx?month=2026-03")]
    pdfs = [_flat(pdf_text(client.get(url).data)) for url in (
        "/service/statistics/print.pdf?year=2026", "/service/statistics/weekly.pdf?week=2026-03-06",
        "/service/statistics/monthly.pdf?month=2026-03")]
    assert 'data-figure="count">5<' in pages[0]
    assert "仅含汇总数据" in pages[1] and "仅含汇总数据" in pdfs[2]
    for text in pages + books + pdfs:
        for secret in (*NAMES, "13812345678", "138****5678", "对接人", "响应速度需提升",
                       "维修及时"):
            assert secret not in text, secret


def test_reports_are_audited(client, app, year):
    """Every export and print of the statistics writes an audit event."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import AuditEvent
    client.login("gm")
    client.get("/service/statistics/monthly.pdf?month=2026-03")
    client.get("/service/statistics/weekly.xlsx?week=2026-03-06")
    with app.app_context():
        actions = dict(db.session.execute(select(AuditEvent.object_type, func.count()).where(
            AuditEvent.action.in_(("print", "export"))).group_by(AuditEvent.object_type)).all())
    assert actions == {"SupervisionReport": 1, "ServiceStatistics": 1}


def test_the_weekly_workbook_lists_the_weeks_records_for_the_service_manager(client, year):
    """The 客服 manager's weekly workbook has the figures' sheets, then 本周服务 and 客户反馈
    with r3's line (number, customer, 满意度 不满意, its feedback)."""
    client.login("cs_mgr")
    response = client.get("/service/statistics/weekly.xlsx?week=2026-03-06")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[-2:] == ["本周服务", "客户反馈"]
    lines = list(book["本周服务"].values)
    assert lines[0][:3] == ("服务编号", "服务时间", "客户名称")
    assert [row[2] for row in lines[1:]] == ["甲统计客户有限公司"]
    assert lines[1][6:8] == ("不满意", "响应速度需提升")
    assert len(list(book["客户反馈"].values)) == 2


def test_the_home_page_lists_the_pages_each_reader_may_open(client, year):
    """客服 staff find 客服统计 and 客服周报 on 客服台账, not 服务监督报告; the sales manager
    finds 服务监督报告 on 销售台账."""
    client.login("cs1")
    html = _text(client.get("/service/"))
    assert "/service/statistics/weekly" in html and "/service/statistics/monthly" not in html
    client.login("sales_mgr")
    assert "/service/statistics/monthly" in _text(client.get("/sales/"))
