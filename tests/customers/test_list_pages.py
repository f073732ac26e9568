"""The customer list's pages: rows read as columns by a statement built once per viewer and
filters (services.core.pagination.kept_rows_page), with the cursor bound when it runs. Paging
forwards and back gives the same rows as a fresh page, rows added after the statement was
built show, and a kept statement serves neither another filter nor another viewer."""

from app.models import CustomerType
from tests.factories.customers import make_customer
from tests.factories.people import make_people


def _link(html: str, rel: str) -> str:
    return html.split(f'rel="{rel}"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")


def test_pages_forward_and_back_and_rows_added_later_show(client, app):
    """Rule: the next page continues where the first ended, the previous page of the second is
    the first again, and a customer added after the statements were built is listed."""
    people = make_people(app, "sales1")
    made = [make_customer(app, people["sales1"], name=f"翻页客户{i:02d}") for i in range(23)]
    client.login("sales1")
    first = client.get("/customers/?sort=name&dir=asc").get_data(as_text=True)
    assert "共 23 条" in first
    assert first.index(made[0].name) < first.index(made[19].name)
    assert made[20].name not in first
    second = client.get(_link(first, "next")).get_data(as_text=True)
    assert all(c.name in second for c in made[20:]) and made[19].name not in second
    again = client.get(_link(second, "prev")).get_data(as_text=True)
    assert all(c.name in again for c in made[:20]) and made[20].name not in again
    added = make_customer(app, people["sales1"], name="翻页客户00甲")
    fresh = client.get("/customers/?sort=name&dir=asc").get_data(as_text=True)
    assert "共 24 条" in fresh and added.name in fresh


def test_a_kept_statement_serves_only_its_own_filters_and_viewer(client, app):
    """Rule: the filters and the viewer are part of what a list statement is kept under: a
    type filter after the unfiltered list narrows it, and a colleague (another scope) does not
    get the first viewer's rows."""
    people = make_people(app, "sales1", "sales2")
    potential = make_customer(app, people["sales1"], name="潜在客户甲",
                              type=CustomerType.POTENTIAL)
    signed = make_customer(app, people["sales1"], name="成交客户乙", type=CustomerType.DEAL)
    client.login("sales1")
    everything = client.get("/customers/").get_data(as_text=True)
    assert potential.name in everything and signed.name in everything
    narrowed = client.get("/customers/?type=deal").get_data(as_text=True)
    assert signed.name in narrowed and potential.name not in narrowed
    client.login("sales2")
    theirs = client.get("/customers/").get_data(as_text=True)
    assert potential.name not in theirs and signed.name not in theirs
