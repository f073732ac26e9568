"""Asking for a loan (/archive/loans/new): an item above the requester's clearance cannot be
asked for at all (404, as everywhere); a purpose is required; the period is 7 days unless
told, 1 to 30; a destroyed item and a loan the user already has are refused; a form sent
twice files one request."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, DeptCode, Level
from app.models.archive import ArchiveLoan, ArchiveState
from tests.factories.archive import catalogue_item, request_loan
from tests.support import form_token


def _loans(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ArchiveLoan))


def _ask(client, **fields):
    data = {"method": "online", "purpose": "核对合同付款条款", "days": "7", **fields}
    return client.post_form("/archive/loans/new", data)


def test_an_item_above_clearance_cannot_be_requested(app, client, people):
    """Rule: for sales1 (内部) a 秘密 item does not exist: the form opened for it and a post
    naming it answer 404 (audited), and typing its 档号 finds nothing; the sales manager
    (秘密) asks for it."""
    secret = catalogue_item(app, people["archivist"], level=Level.SECRET)
    client.login("sales1")
    assert client.get(f"/archive/loans/new?item_id={secret.id}").status_code == 404
    assert _ask(client, item_id=str(secret.id)).status_code == 404
    typed = _ask(client, numbers=secret.archive_number)
    assert typed.status_code == 422 and "没有找到档号" in typed.get_data(as_text=True)
    assert _loans(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "access_denied", AuditEvent.object_id == secret.id)) == 2
    client.login("sales_mgr")
    page = client.get(f"/archive/loans/new?item_id={secret.id}")
    assert page.status_code == 200 and secret.archive_number in page.get_data(as_text=True)
    assert _ask(client, item_id=str(secret.id)).status_code == 303
    assert _loans(app) == 1


def test_a_typed_archive_number_is_asked_for_and_the_period_defaults_to_seven_days(
        app, client, people):
    """Rule: the form offers 7 days; a 档号 typed in the box is the item asked for."""
    item = catalogue_item(app, people["archivist"], dept=DeptCode.SERVICE)
    client.login("sales1")
    form = client.get("/archive/loans/new").get_data(as_text=True)
    assert 'name="days"' in form and 'value="7"' in form
    answer = _ask(client, numbers=f" {item.archive_number}\n")
    assert answer.status_code == 303
    with app.app_context():
        loan = db.session.scalar(select(ArchiveLoan))
        assert (loan.days, loan.department_id, loan.purpose) == (7, item.department_id,
                                                                 "核对合同付款条款")
    assert answer.headers["Location"].endswith(f"/archive/loans/{loan.id}")


def test_purpose_and_period_are_checked(app, client, people):
    """Rule: no purpose, a period of 0 or 31 days, and no item at all are refused with a
    message, and nothing is filed."""
    item = catalogue_item(app, people["archivist"])
    client.login("sales1")
    for fields, message in (({"purpose": ""}, "请说明借阅用途"),
                            ({"days": "31"}, "借阅期限须为 1–30 天"),
                            ({"days": "0"}, "借阅期限须为 1–30 天")):
        answer = _ask(client, item_id=str(item.id), **fields)
        assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    empty = _ask(client)
    assert empty.status_code == 422 and "请至少选择一件档案" in empty.get_data(as_text=True)
    assert _loans(app) == 0


def test_destroyed_items_and_repeated_requests_are_refused(app, client, people):
    """Rule: a destroyed item's content is gone (no loan); a second request of an item the
    user already has pending by the same method is refused, another method is not."""
    gone = catalogue_item(app, people["archivist"], state=ArchiveState.DESTROYED)
    item = catalogue_item(app, people["archivist"])
    client.login("sales1")
    answer = _ask(client, item_id=str(gone.id))
    assert answer.status_code == 422 and "已销毁" in answer.get_data(as_text=True)
    request_loan(app, people["sales1"], [item])
    again = _ask(client, item_id=str(item.id))
    assert again.status_code == 422 and "无需重复申请" in again.get_data(as_text=True)
    assert _ask(client, item_id=str(item.id), method="copy").status_code == 303
    assert _loans(app) == 2


def test_a_form_sent_twice_files_one_request(app, client, people):
    """Rule: the request form's one-time token: the same form posted twice (a double click)
    files one loan and leads both posts to it."""
    item = catalogue_item(app, people["archivist"])
    client.login("sales1")
    token = form_token(client)
    first = _ask(client, item_id=str(item.id), once_token=token)
    second = _ask(client, item_id=str(item.id), once_token=token)
    assert first.status_code == 303 and second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert _loans(app) == 1


def test_malformed_input_is_refused_never_a_500(app, client, people):
    """Rule: an item_id that is no id is a 400 page; a foreign method, a period that is no
    number, an endless purpose and unknown list filters come back as form errors or are
    ignored, never a 500."""
    item = catalogue_item(app, people["archivist"])
    client.login("sales1")
    assert client.get("/archive/loans/new?item_id=abc").status_code == 400
    for fields in ({"item_id": "9" * 20}, {"method": "borrow"}, {"days": "七"},
                   {"purpose": "长" * 5000}, {"numbers": "档" * 3000}):
        assert _ask(client, **{"item_id": str(item.id), **fields}).status_code == 422, fields
    assert client.get("/archive/loans/?status=lost&method=x&q=%00").status_code in (200, 400)
    assert _loans(app) == 0
