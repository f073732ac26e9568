"""Markup that assistive technology reads: the sorted column says so on its header cell (not on
the link inside it), and the top navigation's colours are the checked ones (test_contrast)."""

import re

from tests.factories.customers import make_customer
from tests.factories.people import make_user


def test_the_sorted_column_carries_aria_sort_on_its_header_cell(client, app):
    owner = make_user(app, "sales1")
    make_customer(app, owner)
    client.login("sales1")
    html = client.get("/customers/?sort=name").get_data(as_text=True)
    assert re.search(r'<th scope="col" aria-sort="ascending"><a [^>]*>客户名称', html)
    assert not re.search(r"<a [^>]*aria-sort", html)
    assert html.count("aria-sort=") == 1
    html = client.get("/customers/?sort=name&dir=desc").get_data(as_text=True)
    assert re.search(r'<th scope="col" aria-sort="descending"><a [^>]*>客户名称', html)


def test_the_user_menu_text_has_no_dimming_opacity(client, app):
    """opacity-75 took the department and role down to 1.9:1; they use .nav-note instead."""
    make_user(app, "sales1")
    client.login("sales1")
    html = client.get("/").get_data(as_text=True)
    menu = html[html.index('id="user-menu"'):html.index('class="dropdown-menu')]
    assert "opacity-75" not in menu and "nav-note" in menu
