"""Paper loans (纸质外借): the archivist hands an approved loan out (an item 在库 becomes 借出,
a held one stays 冻结) and takes it back with a completeness check (完整, or 缺损 with a note;
借出 back to 在库); an item out on one loan cannot go out on another; a loan still out after its
due time shows as overdue on the borrower's and the archivist's home pages."""

import re
from datetime import timedelta

from app.extensions import db
from app.models import DeptCode
from app.models.archive import (
    ArchiveItem,
    ArchiveLoan,
    ArchiveState,
    LoanStatus,
    ReturnCondition,
)
from tests.factories.archive import approve_loan, catalogue_item, request_loan


def _paper(app, people, item, borrower="sales1"):
    loan = request_loan(app, people[borrower], [item], method="paper", days=7)
    signer = "sales_mgr" if borrower == "sales1" else "gm"
    return approve_loan(app, loan, people[signer])


def _post(client, loan, action, **data):
    return client.post_form(f"/archive/loans/{loan.id}/{action}", data, follow_redirects=True)


def _state(app, model, row_id):
    with app.app_context():
        row = db.session.get(model, row_id)
        return row.state if model is ArchiveItem else row.status


def _tiles(client) -> dict[str, str]:
    page = client.get("/").get_data(as_text=True)
    return dict(re.findall(r'data-count="(loans-[\w-]+)"[^>]*>([^<]+)<', page))


def test_hand_out_and_return_complete(app, client, people):
    """Rule: handed out, the loan is 已借出 and due `days` after the hand-out, its item 借出;
    returned 完整, the item is 在库 again and the loan 已归还 with who and when."""
    item = catalogue_item(app, people["archivist"], dept=DeptCode.SALES)
    loan = _paper(app, people, item)
    client.login("archivist")
    _post(client, loan, "hand-out")
    with app.app_context():
        lent = db.session.get(ArchiveLoan, loan.id)
        assert lent.status == LoanStatus.LENT
        assert lent.due_at - lent.handed_out_at == timedelta(days=7)
    assert _state(app, ArchiveItem, item.id) == ArchiveState.ON_LOAN
    _post(client, loan, "return", condition="complete")
    assert _state(app, ArchiveItem, item.id) == ArchiveState.IN_STORE
    with app.app_context():
        returned = db.session.get(ArchiveLoan, loan.id)
        assert (returned.status, returned.return_condition, returned.returned_by_id) == (
            LoanStatus.RETURNED, ReturnCondition.COMPLETE, people["archivist"].id)


def test_a_damaged_return_needs_a_note(app, client, people):
    """Rule: 缺损 without saying what is missing, or no check result, is refused; 缺损 with
    the note is recorded."""
    item = catalogue_item(app, people["archivist"])
    loan = _paper(app, people, item)
    client.login("archivist")
    _post(client, loan, "hand-out")
    refused = _post(client, loan, "return", condition="damaged", note="")
    assert "档案缺损时请说明缺损情况" in refused.get_data(as_text=True)
    unchecked = _post(client, loan, "return", condition="lost")
    assert "请选择归还时的完整性检查结果" in unchecked.get_data(as_text=True)
    assert _state(app, ArchiveLoan, loan.id) == LoanStatus.LENT
    _post(client, loan, "return", condition="damaged", note="缺第 3 页")
    with app.app_context():
        returned = db.session.get(ArchiveLoan, loan.id)
        assert (returned.return_condition, returned.return_note) == (ReturnCondition.DAMAGED,
                                                                     "缺第 3 页")


def test_a_held_item_keeps_its_state_and_an_item_goes_out_once(app, client, people):
    """Rule: a 冻结 item handed out stays 冻结 (the hold guards its disposal); while it is out,
    another paper loan of it is not handed out; returned, it is still 冻结."""
    item = catalogue_item(app, people["archivist"], state=ArchiveState.HELD)
    first = _paper(app, people, item)
    second = _paper(app, people, item, borrower="cs1")
    client.login("archivist")
    _post(client, first, "hand-out")
    assert _state(app, ArchiveItem, item.id) == ArchiveState.HELD
    refused = _post(client, second, "hand-out")
    assert "已借出未还" in refused.get_data(as_text=True)
    assert _state(app, ArchiveLoan, second.id) == LoanStatus.APPROVED
    _post(client, first, "return", condition="complete")
    assert _state(app, ArchiveItem, item.id) == ArchiveState.HELD
    _post(client, second, "hand-out")
    assert _state(app, ArchiveLoan, second.id) == LoanStatus.LENT


def test_only_the_archivist_hands_out_and_takes_back(app, client, people):
    """Rule: the borrower, their manager and the GM see the loan but may not execute it (403);
    an online loan has nothing to hand out (403 for the archivist too)."""
    item = catalogue_item(app, people["archivist"])
    loan = _paper(app, people, item)
    for user in ("sales1", "sales_mgr", "gm"):
        client.login(user)
        assert client.post_form(f"/archive/loans/{loan.id}/hand-out", {}).status_code == 403
    online = approve_loan(app, request_loan(app, people["sales1"], [item]), people["sales_mgr"])
    client.login("archivist")
    assert client.post_form(f"/archive/loans/{online.id}/hand-out", {}).status_code == 403
    assert _state(app, ArchiveLoan, loan.id) == LoanStatus.APPROVED


def test_overdue_paper_loans_show_on_both_home_pages(app, client, people, clock):
    """Rule: the archivist's tile counts paper loans to hand out (the borrower has none in
    hand before the hand-out); once out past its due time the loan counts as overdue on the
    borrower's tile and the archivist's, and the list filtered to overdue shows it; returned,
    it counts no more."""
    item = catalogue_item(app, people["archivist"])
    loan = _paper(app, people, item)
    client.login("sales1")
    assert _tiles(client) == {}  # approved, but not in their hands yet
    client.login("archivist")
    assert _tiles(client) == {"loans-to-hand-out": "1", "loans-overdue": "0"}
    _post(client, loan, "hand-out")
    client.login("sales1")
    assert _tiles(client) == {"loans-running": "1", "loans-overdue": "0"}
    clock(days=7, hours=1)
    assert _tiles(client) == {"loans-running": "0", "loans-overdue": "1"}
    client.login("archivist")
    assert _tiles(client)["loans-overdue"] == "1"
    overdue = client.get("/archive/loans/?status=overdue").get_data(as_text=True)
    assert f'id="loan-{loan.id}" data-status="overdue"' in overdue
    _post(client, loan, "return", condition="complete")
    assert _tiles(client)["loans-overdue"] == "0"


def test_a_borrower_without_loans_has_no_tile(client, people):
    """Rule: the tile is a nudge: a salesperson with no loan gets none."""
    client.login("sales1")
    assert _tiles(client) == {}
