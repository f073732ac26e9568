"""Reading a lent item: the borrower of an approved online or copy loan opens the read-only
viewer, which frames the item's copy under a watermark naming them and the time; the copy is
watermarked too, framed by this site only; a copy loan also downloads it (打印/下载), an
online loan does not; every opening is audited; nobody else opens it through the loan."""

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, DeptCode
from tests.factories.archive import approve_loan, catalogue_item, request_loan
from tests.support import pdf_text


def _lent(app, people, method="online"):
    item = catalogue_item(app, people["archivist"], dept=DeptCode.SALES)
    loan = request_loan(app, people["sales1"], [item], method=method)
    return item, approve_loan(app, loan, people["sales_mgr"])


def _actions(app, object_id) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "ArchiveItem", AuditEvent.object_id == object_id)
            .order_by(AuditEvent.id)))


def test_the_borrower_reads_the_item_under_their_watermark(app, client, people):
    """Rule: the viewer names the reader (name, employee number, time, loan) over the framed
    copy, which is served inline, frameable by this site only, with the reader's name on
    its pages; the viewing and the copy are both audited."""
    item, loan = _lent(app, people)
    client.login("sales1")
    page = client.get(f"/archive/loans/{loan.id}/items/{item.id}/view")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "李晓明 · S1001 · " in html and f"借阅 #{loan.id}" in html
    copy_url = f"/archive/loans/{loan.id}/items/{item.id}/copy.pdf"
    assert f'src="{copy_url}#toolbar=0' in html and "copy-download" not in html
    copy = client.get(copy_url)
    assert copy.status_code == 200 and copy.headers["Content-Disposition"].startswith("inline")
    assert copy.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert copy.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert "李晓明" in pdf_text(copy.data) and "S1001" in pdf_text(copy.data)
    assert _actions(app, item.id)[-2:] == ["archive_loan_viewed", "archive_copy_viewed"]


def test_a_copy_loan_downloads_and_an_online_loan_does_not(app, client, people):
    """Rule: copying is a separate right: the catalogue's download (PRINT) is refused under an
    online loan and given under a copy loan, whose viewer offers it; audited."""
    online_item, _online = _lent(app, people)
    copy_item, copy_loan = _lent(app, people, method="copy")
    client.login("sales1")
    assert client.get(f"/archive/items/{online_item.id}/copy.pdf?download=1").status_code == 403
    viewer = client.get(f"/archive/loans/{copy_loan.id}/items/{copy_item.id}/view")
    assert 'id="copy-download"' in viewer.get_data(as_text=True)
    download = client.get(f"/archive/items/{copy_item.id}/copy.pdf?download=1")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert _actions(app, copy_item.id)[-1] == "archive_copy_downloaded"


def test_nobody_else_reads_through_the_loan(app, client, people):
    """Rule: the sales manager and the archivist see the loan but may not read through it
    (403), a 客服 user does not see it (404), an item the loan does not lend is 404 for the
    borrower, and a paper loan opens no viewer."""
    item, loan = _lent(app, people)
    other = catalogue_item(app, people["archivist"], dept=DeptCode.SALES)
    view = f"/archive/loans/{loan.id}/items/{item.id}/view"
    for user, status in (("sales_mgr", 403), ("archivist", 403), ("cs1", 404)):
        client.login(user)
        assert client.get(view).status_code == status, user
    client.login("sales1")
    assert client.get(f"/archive/loans/{loan.id}/items/{other.id}/view").status_code == 404
    paper = approve_loan(app, request_loan(app, people["sales1"], [other], method="paper"),
                         people["sales_mgr"])
    assert client.get(f"/archive/loans/{paper.id}/items/{other.id}/view").status_code == 403
