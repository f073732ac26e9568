"""The loans' list loads what it shows in a fixed number of statements: 50 loans cost the
same statements as 5 (borrower, department and items loaded with the page)."""

import re

from app.extensions import db
from app.models import Level
from app.models.archive import ArchiveLoan, ArchiveLoanItem, LoanMethod, LoanStatus
from tests.factories.archive import catalogue_item
from tests.queries import assert_flat


def _add_loans(app, people, items, n: int) -> None:
    """n pending loans of the items by sales1, stored as the request leaves them."""
    with app.app_context():
        borrower = people["sales1"]
        for _ in range(n):
            db.session.add(ArchiveLoan(
                borrower_id=borrower.id, borrower_department_id=borrower.department_id,
                department_id=items[0].department_id, method=LoanMethod.ONLINE,
                purpose="核对", days=7, confidentiality=Level.INTERNAL,
                status=LoanStatus.PENDING,
                lines=[ArchiveLoanItem(item_id=item.id) for item in items]))
        db.session.commit()


def test_the_list_of_loans(app, client, people, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 60)
    items = [catalogue_item(app, people["archivist"]) for _ in range(2)]
    client.login("archivist")
    page = assert_flat(client, "/archive/loans/", lambda n: _add_loans(app, people, items, n))
    assert len(re.findall(r'id="loan-\d+"', page)) == 50
