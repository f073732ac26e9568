"""What the sales lists' cheap rendering must keep: a filter's <select> (filter_select of
app/web.py), rendered once and reused, still marks the choice of each request in its language, and
amounts that may be negative read −¥ (never ¥-) with — for no amount."""

import re
from decimal import Decimal

from tests.factories.people import make_people


def _chosen(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]* name="{name}">(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option selected value="([^"]*)">', select)


def test_a_reused_filter_select_marks_each_requests_choice(app, client):
    """Rule: the rendered <select> is reused per language and choice, so one request's choice
    never shows on another's page, and an unknown value selects nothing."""
    make_people(app, "sales_mgr")
    client.login("sales_mgr")
    for query, status in (("?status=active", ["active"]), ("", [""]),
                          ("?status=draft", ["draft"]), ("?status=bogus", []),
                          ("?status=active", ["active"])):
        html = client.get(f"/sales/contracts/{query}").get_data(as_text=True)
        assert _chosen(html, "status") == status, query
        assert _chosen(html, "kind") == [""], query


def test_a_reused_filter_select_speaks_the_users_language(app, client):
    """Rule: the reused <select> is kept per language: after switching to English the options
    are English."""
    make_people(app, "sales_mgr")
    client.login("sales_mgr")
    assert "全部状态" in client.get("/sales/contracts/").get_data(as_text=True)
    client.post_form("/preferences/locale", {"locale": "en", "next": "/sales/contracts/"})
    html = client.get("/sales/contracts/").get_data(as_text=True)
    select = re.search(r'<select[^>]* name="status">(.*?)</select>', html, re.S).group(1)
    assert "全部状态" not in select and "草稿" not in select


def test_signed_amounts(app):
    """Rule: a credit or loss reads −¥1,234.56 (a minus sign before the currency), no amount —."""
    signed = app.jinja_env.filters["signed_money"]
    assert signed(Decimal("-1234.5")) == "−¥1,234.50"
    assert signed(Decimal("1234567.891")) == "¥1,234,567.89"
    assert signed(Decimal("0")) == "¥0.00"
    assert signed(None) == "—"
