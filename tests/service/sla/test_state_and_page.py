"""The SLA state as SQL over the stored columns (no Python per row), and the policy page's
validation in Chinese."""

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models.service.records import Priority, ServiceRecord
from app.services.service.sla import state
from tests.service.sla.conftest import S, with_history

NOW = datetime(2026, 3, 2, 12, 0)


def test_state_is_sql_over_stored_columns(app, team, customer):
    """Rule: 已超时 when a running due has passed or a breach is stored; 即将超时 when a running
    due falls within 4 hours; 已暂停 while waiting; 正常 otherwise. Usable in WHERE and ORDER
    BY (overdue first)."""
    overdue = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 8, 30),
                           now=NOW)  # response due 10:30, still pending
    soon = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 9, 0),
                        expected_at=datetime(2026, 3, 2, 15, 0), now=NOW,
                        moves=[(datetime(2026, 3, 2, 9, 10), S.PROCESSING)])
    paused = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 9, 0),
                          expected_at=datetime(2026, 3, 2, 15, 0), now=NOW,
                          moves=[(datetime(2026, 3, 2, 9, 10), S.PROCESSING),
                                 (datetime(2026, 3, 2, 10, 0), S.WAITING_CUSTOMER)])
    normal = with_history(app, team, customer, service_at=datetime(2026, 3, 2, 9, 0),
                          priority=Priority.LOW, now=NOW,
                          moves=[(datetime(2026, 3, 2, 9, 10), S.PROCESSING)])
    with app.app_context():
        rows = dict(db.session.execute(select(ServiceRecord.id, state.expression(NOW))).all())
        assert rows == {overdue.id: "overdue", soon.id: "due_soon", paused.id: "paused",
                        normal.id: "normal"}
        assert db.session.scalars(select(ServiceRecord.id).where(state.overdue(NOW))).all() == [
            overdue.id]
        assert db.session.scalars(select(ServiceRecord.id).where(state.due_soon(NOW))).all() == [
            soon.id]
        ordered = db.session.scalars(select(ServiceRecord.id).order_by(
            state.rank(NOW), ServiceRecord.id)).all()
        assert ordered == [overdue.id, soon.id, normal.id, paused.id]


def test_policy_form_refuses_nonsense_in_chinese(client, app, team, customer):
    """Rule: hours must be numbers with at most two decimals, above zero, and the resolution
    not shorter than the response; nothing is saved (422)."""
    client.login("cs_mgr")
    base = {"name": "标准时限", "calendar": "work", "version": "1"}
    cases = [({"response_hours": "两小时", "resolution_hours": "8"}, "最多两位小数"),
             ({"response_hours": "0", "resolution_hours": "8"}, "时限必须大于零"),
             ({"response_hours": "4", "resolution_hours": "2"}, "解决时限不能短于响应时限"),
             ({"response_hours": "", "resolution_hours": "8"}, "请填写响应时限")]
    for fields, message in cases:
        response = client.post_form("/service/sla/1/edit", {**base, **fields})
        assert response.status_code == 422, fields
        assert message in response.get_data(as_text=True)
    stale = client.post_form("/service/sla/1/edit", {**base, "version": "0",
                                                      "response_hours": "1",
                                                      "resolution_hours": "8"})
    assert stale.status_code == 422
    assert "已被他人修改" in stale.get_data(as_text=True)


def test_policy_page_shows_the_matrix_and_the_profile(client, app, team):
    """Rule: the page lists every standard policy and the on-site profile (30 分钟 / 2 小时 /
    4 小时, 7×24); staff read it without edit links."""
    client.login("cs1")
    html = client.get("/service/sla/").get_data(as_text=True)
    assert html.count('id="policy-') == 13
    assert "30 分钟" in html and "4 小时" in html and "含节假日" in html
    assert "/edit" not in html and 'id="read-only"' in html
