"""The customer list keeps what is the same from one request to the next (its filters' selects,
the rows' labels and badges) per language and selection, not per request: each request still
shows its own selection, in its reader's language, whatever an earlier request was shown."""

import re

from app.models import CustomerStatus, CustomerType, Industry, Level
from tests.factories.customers import make_customer
from tests.factories.people import make_people


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _select(html: str, name: str) -> str:
    found = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert found, f"no {name} select"
    return found.group(0)


def _selected(html: str, name: str) -> list[str]:
    return re.findall(r'<option selected value="([^"]*)"', _select(html, name))


def _row(html: str, name: str) -> str:
    found = re.search(rf"<tr>(?:(?!</tr>).)*{name}.*?</tr>", html, re.S)
    assert found, f"no row of {name}"
    return found.group(0)


def test_each_request_shows_its_own_choice_in_the_filters(client, app):
    make_people(app, "sales1")
    client.login("sales1")
    for url, grade, kind in (("/customers/?grade=A", ["A"], []),
                             ("/customers/?grade=B&type=deal", ["B"], ["deal"]),
                             ("/customers/?grade=A&type=", ["A"], [""]),
                             ("/customers/?grade=Z&type=nonsense", [], []),
                             ("/customers/", [], [])):
        html = _page(client, url)
        assert (_selected(html, "grade"), _selected(html, "type")) == (grade, kind), url


def test_the_filters_and_rows_speak_each_readers_language(client, app):
    people = make_people(app, "sales_mgr", "sales1", sales_mgr={"locale": "en"})
    make_customer(app, people["sales1"], name="双语客户有限公司", industry=Industry.REALTY,
                  type=CustomerType.POTENTIAL, confidentiality=Level.INTERNAL)
    client.login("sales1")
    chinese = _page(client, "/customers/")
    row = _row(chinese, "双语客户有限公司")
    assert "房地产业" in row and "潜在客户" in row and "内部" in row
    assert f'data-status="{CustomerStatus.DRAFT.value}"' in row and "草稿" in row
    assert "全部状态" in _select(chinese, "status")
    client.login("sales_mgr")
    english = _page(client, "/customers/")
    row = _row(english, "双语客户有限公司")
    assert "Real estate" in row and "Prospect" in row and "Internal" in row and "Draft" in row
    assert "房地产业" not in row and "草稿" not in row
    assert "All statuses" in _select(english, "status")
    client.login("sales1")
    assert "房地产业" in _row(_page(client, "/customers/"), "双语客户有限公司")
