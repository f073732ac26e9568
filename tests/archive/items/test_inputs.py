"""No input answers 500 on the catalogue's routes: odd searches, filters, sorts, cursors and
posts are ignored, refused with a message or a 400/404, never a server error."""

import pytest

from tests.factories.archive import catalogue_item
from tests.factories.people import make_people

ODD = ({"q": "%"}, {"q": '"'}, {"q": "x" * 500}, {"q": "TZ-"}, {"q": "\u3000"},
       {"sort": "nope", "dir": "sideways"}, {"after": "garbage"}, {"before": "AAAA"},
       {"expiry_from": "2026-13-45"}, {"expiry_to": "9999-01-01"}, {"department": "abc"},
       {"department": "99999999999"}, {"level": "9"}, {"year": "99999"}, {"kind": "k" * 300},
       {"customer_id": "-1"}, {"retention": "D" * 50}, {"state": "gone"}, {"location": "moon"})


@pytest.mark.parametrize("path", ["/archive/items/", "/archive/items/export.xlsx",
                                  "/archive/items/contracts", "/archive/items/contracts.pdf"])
def test_odd_filters_never_fail(app, client, path):
    """Every odd query string of ODD answers below 500 on each list route."""
    people = make_people(app, "archivist")
    catalogue_item(app, people["archivist"])
    client.login("archivist")
    statuses = {str(params): client.get(path, query_string=params).status_code
                for params in ODD}
    assert {key: s for key, s in statuses.items() if s >= 500} == {}


def test_odd_posts_are_refused_not_failed(app, client):
    """Ids that are not ids, an unknown format and an overlong reason are refused."""
    people = make_people(app, "archivist")
    item = catalogue_item(app, people["archivist"])
    client.login("archivist")
    posts = [("/archive/items/print", {"item_ids": ["abc", "-3", "9" * 30], "format": "pdf"}),
             ("/archive/items/print", {"item_ids": [str(item.id)], "format": "tiff"}),
             (f"/archive/items/{item.id}/void", {"reason": "长" * 600})]
    assert [client.post_form(url, data).status_code for url, data in posts] == [303, 303, 303]
    assert client.get("/archive/items/prints/99999999").status_code == 404
    assert client.get(f"/archive/items/{item.id}/copy.pdf?download=x").status_code == 403
