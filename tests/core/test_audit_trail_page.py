"""The audit trail as an auditor reads it: actions and types of object by their Chinese names,
the record's number and name, changes as "label: old → new" with codes shown as their labels;
filters chosen from lists; the filtered view exported to Excel (audited, under clearance)."""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Customer, Level, Role
from app.services.core import audit, audit_labels
from tests.factories.customers import make_customer
from tests.factories.people import make_user
from tests.queries import counted
from tests.support import sheet, today

ROOT = Path(__file__).resolve().parents[2]
NAME = "明辉光电有限公司"
SECRET_NAME = "保密课题丙有限公司"


@pytest.fixture
def trail(client, app):
    """A customer created (audited as the code records it) and edited, and an auditor."""
    owner = make_user(app, "sales1", full_name="赵一")
    customer = make_customer(app, owner, name=NAME, phone="13912345678")
    with app.app_context():
        record = db.session.get(Customer, customer.id)
        audit.record("customer_updated", record, actor=record.owner, changes={
            "type": ["potential", "intent"], "grade": ["B", "A"], "phone": audit.CHANGED,
            "confidentiality": [1, 2]})
        db.session.commit()
    make_user(app, "auditor", role=Role.AUDITOR, full_name="审计甲")
    client.login("auditor")
    return customer


def _page(client, query: str = "") -> str:
    response = client.get(f"/audit/?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr[^>]*>\s*<td>\d+</td>.*?</tr>", html, re.S)


def test_actions_and_objects_show_by_their_chinese_names_with_number_and_name(client, trail):
    html = _page(client, "object_type=Customer")
    assert "新建客户" in html and "修改客户资料" in html
    assert "<code>customer_created</code>" not in html and "Customer #" not in html
    assert f"{trail.number} {NAME}" in html


def test_changes_read_as_label_old_to_new_with_choice_labels(client, trail):
    html = _page(client, "action=customer_updated")
    assert "客户类型：潜在客户 → 意向客户" in html
    assert "客户等级：B类(普通) → A类(重点)" in html
    assert "密级：公开 → 内部" in html
    assert "联系电话：已修改（个人信息，不记录内容）" in html
    assert "13912345678" not in html and '"type"' not in html


def test_a_created_records_fields_show_as_values_without_an_empty_old_one(client, trail):
    html = _page(client, "action=customer_created")
    assert f"客户名称：{NAME}" in html and "所属行业：信息技术服务" in html
    assert "— →" not in html


def test_filters_are_lists_of_the_registered_names_and_a_user_picker(client, trail):
    html = _page(client)
    for name in ("action", "object_type"):
        assert re.search(rf'<select[^>]*name="{name}"', html), name
    assert '<option value="customer_created">新建客户</option>' in html
    assert '<option value="Customer">客户</option>' in html
    assert re.search(r'<input[^>]*name="actor"[^>]*role="combobox"', html, re.S)
    assert 'data-picker-url="/audit/actors"' in html
    assert 'type="date"' in html


def test_the_page_lists_no_users_however_many_there_are(client, app, trail):
    """A company's users make no list: the page reads none of them, and names none."""
    for n in range(30):
        make_user(app, f"staff{n:02}", full_name=f"职员{n:02}")
    with counted() as page:
        filters = _page(client).split('<div id="results">')[0]
    assert "职员" not in filters and "赵一" not in filters
    assert not any("FROM users" in s and "ORDER BY users.full_name" in s
                   for s in page.statements)


def test_the_picker_finds_users_by_name_username_or_employee_number(client, app, trail):
    number = make_user(app, "lisi", full_name="李四", employee_no="E7031").employee_no
    for typed in ("李四", "lis", number.lower()):
        options = client.get(f"/audit/actors?q={typed}&field=actor").get_data(as_text=True)
        assert re.search(r'data-value="\d+" data-label="李四 \(lisi\)"', options), typed
        assert "赵一" not in options
    nothing = client.get("/audit/actors?q=无此人").get_data(as_text=True)
    assert "没有找到匹配的操作人" in nothing


def test_the_picker_shows_ten_users_and_says_when_more_match(client, app, trail):
    for n in range(12):
        make_user(app, f"clerk{n:02}", full_name=f"文员{n:02}")
    options = client.get("/audit/actors?q=文员").get_data(as_text=True)
    assert len(re.findall(r'data-value="\d+"', options)) == 10
    assert "只显示前 10 项" in options


def test_the_user_filter_shows_only_that_users_events(client, app, trail):
    with app.app_context():
        sales1 = db.session.scalar(select(AuditEvent.actor_id).where(
            AuditEvent.action == "customer_created"))
    html = _page(client, f"actor={sales1}")
    rows = _rows(html)
    assert rows and all("赵一 (sales1)" in row for row in rows)
    assert 'value="赵一 (sales1)"' in html  # the picker shows who is chosen
    assert _rows(_page(client, "actor=999999")) == []


@pytest.mark.parametrize("typed", ["sales1", "赵一 (sales1)", "赵一"])
def test_a_user_typed_without_the_pickers_script_filters_too(client, trail, typed):
    rows = _rows(_page(client, f"actor={typed}"))
    assert rows and all("赵一 (sales1)" in row for row in rows)


@pytest.mark.parametrize("typed", ["nobody", "重名", "99999999999999999999"])
def test_a_name_that_is_no_one_users_is_refused_and_the_trail_stays_unfiltered(client, app,
                                                                              trail, typed):
    make_user(app, "twin1", full_name="重名")
    make_user(app, "twin2", full_name="重名")
    html = _page(client, f"actor={typed}")
    assert "没有找到这个操作人" in html
    assert len(_rows(html)) == len(_rows(_page(client)))


def test_a_filter_changed_in_the_browser_answers_the_results_alone(client, trail):
    """The filter form asks with htmx: the answer is the table's fragment, filtered."""
    response = client.htmx("GET", "/audit/?action=customer_updated")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="audit-table"' in html and len(_rows(html)) == 1


def test_the_date_range_bounds_the_events(client, app, trail):
    day = today(app)
    assert _rows(_page(client, f"date_from={day}&date_to={day}"))
    assert _rows(_page(client, f"date_to={day - timedelta(days=1)}")) == []


def test_the_export_holds_the_filtered_events_as_the_page_reads_them(client, trail):
    rows = sheet(client.get("/audit/export.xlsx?action=customer_updated"))
    header, events = rows[0], rows[1:]
    assert header[3] == "操作" and len(events) == 1
    assert events[0][3] == "修改客户资料" and events[0][4] == "客户"
    assert events[0][5] == f"{trail.number} {NAME}"
    assert "客户类型：潜在客户 → 意向客户" in events[0][6]


def test_the_export_is_itself_audited(client, app, trail):
    client.get("/audit/export.xlsx?action=customer_updated")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.object_type == "AuditEvent" and "action=customer_updated" in event.changes
    assert "导出 Excel" in _page(client, "action=export")


def test_the_export_hides_records_above_the_auditors_clearance(client, app, trail):
    owner = make_user(app, "sales_top", clearance=Level.CONFIDENTIAL)
    secret = make_customer(app, owner, name=SECRET_NAME, confidentiality=Level.SECRET)
    rows = sheet(client.get("/audit/export.xlsx?action=customer_created"))
    text = repr(rows)
    assert SECRET_NAME not in text and secret.number not in text
    assert "某秘密级记录" in text and NAME in text


def test_only_auditors_export_the_trail(client, app, trail):
    make_user(app, "admin", role=Role.ADMIN)
    client.login("admin")
    assert client.get("/audit/export.xlsx").status_code == 403


def test_every_action_the_code_records_has_a_name(app):
    """Each literal audit action in app/ is registered (a new one needs its label)."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "app").rglob("*.py"))
    recorded = set(re.findall(r'(?:audit\.)?record\(\s*"([a-z_]+)"', source))
    recorded |= {"approval_approved", "approval_rejected", "approval_withdrawn", "sign_failed",
                 "login_refused_locked", "account_locked", "signing_locked"}
    with app.test_request_context():
        unnamed = {action for action in recorded if audit_labels.action_label(action) is None}
    assert recorded and unnamed == set()


def test_the_export_file_name_names_the_chosen_action(client, trail):
    """The file name carries the date and the filter as the list reads it (its label)."""
    response = client.get("/audit/export.xlsx?action=customer_updated")
    disposition = unquote(response.headers["Content-Disposition"])
    assert re.search(r"审计日志-\d{4}-\d{2}-\d{2}-修改客户资料\.xlsx", disposition)
