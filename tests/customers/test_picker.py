"""The customer picker (issue 10, requirement 7): GET /customers/pick finds the customers a user
may choose by one to three Chinese characters, pinyin initials, full pinyin or the number; it
offers only the user's scope (never another salesperson's customer, never one above their
clearance, not even in its "more" count), at most ten; and every form that chooses a customer or
a contract uses the one picker macro, not a plain select."""

import re

import pytest

from app.models import DeptCode, Level, Role
from app.services.customers.operations import pinyin_initials
from tests.factories.customers import make_customer
from tests.factories.people import make_people, make_user
from tests.factories.sales import make_contract
from tests.support import fetch


def _offered(client, q: str, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"q": q, "field": "customer_id", **params}.items())
    response = client.htmx("GET", f"/customers/pick?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def people(app):
    return make_people(app, "sales1", "sales2", "sales_mgr")


@pytest.fixture
def huaxin(app, people):
    return make_customer(app, people["sales1"], name="华信科技有限公司")


def test_initials_are_derived_from_the_name():
    """Each character's first pinyin letter; letters and digits of the name kept, lower case."""
    assert pinyin_initials("华信科技有限公司") == "hxkjyxgs"
    assert pinyin_initials("重庆ABC-2科技") == "cqabc2kj"


def test_initials_follow_a_renamed_customer(app, people, huaxin):
    """The stored initials are set on registration (and by every path that sets name_sort)."""
    assert fetch(app, type(huaxin), huaxin.id).name_initials == "hxkjyxgs"


@pytest.mark.parametrize("q", ["华", "华信", "华信科", "hxkj", "HXKJ", "xkj", "huaxin"])
def test_typing_characters_initials_or_pinyin_finds_the_customer(client, people, huaxin, q):
    """One, two or three characters of the name, initials (any case, anywhere in the name) or
    full pinyin find it; the option carries its id and its label."""
    client.login("sales1")
    html = _offered(client, q)
    assert f'data-value="{huaxin.id}"' in html
    assert f'data-label="华信科技有限公司（{huaxin.number}）"' in html
    assert 'role="option"' in html and 'id="customer_id-option-1"' in html


def test_the_number_finds_the_customer_and_options_may_carry_numbers(client, people, huaxin):
    """The number (or its start) finds it; value=number puts the number in the option."""
    client.login("sales1")
    assert f'data-value="{huaxin.id}"' in _offered(client, huaxin.number)
    assert f'data-value="{huaxin.number}"' in _offered(client, huaxin.number[:9], value="number")


def test_nothing_matching_says_so(client, people, huaxin):
    client.login("sales1")
    html = _offered(client, "星桥")
    assert "没有找到匹配的客户" in html and "data-value" not in html


def test_another_salespersons_customer_is_not_offered(client, app, people, huaxin):
    """Staff choose among their own customers: a colleague's is not offered (the card scope,
    for a referral's referred customer, does offer it)."""
    make_customer(app, people["sales2"], name="华信物流有限公司")
    client.login("sales1")
    assert "华信物流" not in _offered(client, "华信")
    assert "华信物流" in _offered(client, "华信", scope="card")


def test_a_customer_above_clearance_is_neither_offered_nor_counted(client, app, people):
    """Ten customers in the manager's sight and one above their clearance: exactly ten options
    and no "more" hint; the hidden one's name is nowhere."""
    top = make_user(app, "top", clearance=Level.CONFIDENTIAL)
    for n in range(10):
        make_customer(app, people["sales1"], name=f"星桥{n}号有限公司")
    make_customer(app, top, name="星桥机密有限公司", confidentiality=Level.CONFIDENTIAL)
    client.login("sales_mgr")
    html = _offered(client, "星桥")
    assert html.count('data-value="') == 10
    assert "星桥机密" not in html and "只显示前" not in html
    make_customer(app, people["sales1"], name="星桥十一有限公司")
    assert "只显示前 10 项" in _offered(client, "星桥")


def test_only_business_roles_may_search(client, app):
    make_user(app, "admin", role=Role.ADMIN, dept=DeptCode.IT)
    client.login("admin")
    assert client.htmx("GET", "/customers/pick?q=华").status_code == 403


# Every page that chooses a customer or a contract: (url, the field, its endpoint).
FORMS = [
    ("/sales/contracts/new", "customer_id", "/customers/pick"),
    ("/sales/visits/plans/new", "customer", "/customers/pick"),
    ("/sales/visits/reports/new", "customer", "/customers/pick"),
    ("/sales/referrals/new", "referrer", "/customers/pick"),
    ("/sales/referrals/new", "referred", "/customers/pick"),
    ("/sales/ledger/new", "contract_id", "/sales/contracts/pick"),
]
_SELECT = re.compile(r'<select[^>]*name="(customer|customer_id|contract|contract_id|referrer'
                     r'|referred)"', re.S)


@pytest.mark.parametrize(("url", "name", "endpoint"), FORMS)
def test_every_customer_and_contract_choice_uses_the_picker(client, people, huaxin, url, name,
                                                            endpoint):
    """The field is the picker's combobox (searching `endpoint`) with its hidden value input;
    no plain select of customers or contracts is left on the page."""
    client.login("sales1")
    html = client.get(url).get_data(as_text=True)
    assert _SELECT.search(html) is None
    box = re.search(rf'<div[^>]*data-picker-url="{endpoint}\?[^"]*field={name}[^"]*"(.*?)</ul>',
                    html, re.S)
    assert box is not None, f"{url}: {name} is not a picker"
    assert f'id="{name}" name="{name}"' in box.group(1) and 'role="combobox"' in box.group(1)
    assert 'data-picker-value' in box.group(1) and 'role="listbox"' in box.group(1)


def test_a_contract_edit_form_shows_its_customer_in_the_picker(client, app, people, huaxin):
    contract = make_contract(app, huaxin, by=people["sales1"])
    client.login("sales1")
    html = client.get(f"/sales/contracts/{contract.id}/edit").get_data(as_text=True)
    assert f'value="华信科技有限公司（{huaxin.number}）"' in html
    assert f'value="{huaxin.id}" data-picker-value' in html
