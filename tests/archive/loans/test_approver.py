"""Who approves a loan (002 篇七 1.5): an item of the requester's own department is approved by
that department's manager, another department's item by the GM; the archivist approves none.
The signer reads what is lent (the loan's card) before signing."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    ApprovalAssignment,
    ApprovalFlow,
    ApprovalRequest,
    DeptCode,
    Level,
    User,
)
from app.models.archive import ArchiveLoan, LoanMethod, LoanStatus
from app.services.approvals.engine import ApprovalError
from app.services.archive.loans.requests import LoanData, request_loans
from tests.factories.approvals import latest_request_id, sign, sign_as
from tests.factories.archive import approve_loan, catalogue_item, request_loan
from tests.factories.people import make_people
from tests.support import PASSWORD


def _signers(app, loan) -> set[str]:
    """The usernames the loan's approval step waits for."""
    with app.app_context():
        request_id = latest_request_id(app, loan.id, "ArchiveLoan")
        return set(db.session.scalars(
            select(User.username).join(ApprovalAssignment, ApprovalAssignment.user_id == User.id)
            .where(ApprovalAssignment.request_id == request_id,
                   ApprovalAssignment.done.is_(False))))


def test_own_department_item_goes_to_its_manager(app, people):
    """Rule: a salesperson's loan of a 销售部 item waits for the sales manager alone; signed,
    it is approved with its due time set."""
    item = catalogue_item(app, people["archivist"], dept=DeptCode.SALES)
    loan = request_loan(app, people["sales1"], [item])
    assert loan.status == LoanStatus.PENDING and loan.due_at is None
    assert _signers(app, loan) == {"sales_mgr"}
    loan = approve_loan(app, loan, people["sales_mgr"])
    assert loan.status == LoanStatus.APPROVED and loan.due_at is not None


def test_another_department_item_goes_to_the_gm(app, people):
    """Rule: a 客服 user's loan of a 销售部 item waits for the GM, not for either manager."""
    item = catalogue_item(app, people["archivist"], dept=DeptCode.SALES)
    loan = request_loan(app, people["cs1"], [item])
    assert _signers(app, loan) == {"gm"}


def test_a_manager_borrowing_from_their_own_department_goes_to_the_gm(app, people):
    """Rule: nobody signs their own request: the sales manager's loan of a sales item goes up
    to the GM."""
    item = catalogue_item(app, people["archivist"], dept=DeptCode.SALES)
    assert _signers(app, request_loan(app, people["sales_mgr"], [item])) == {"gm"}


def test_items_of_two_departments_become_two_loans_each_with_its_approver(app, people):
    """Rule: a request naming a sales item and a 客服 item is split by department: the sales
    one to the sales manager, the 客服 one to the GM (for a salesperson)."""
    sales = catalogue_item(app, people["archivist"], dept=DeptCode.SALES)
    service = catalogue_item(app, people["archivist"], dept=DeptCode.SERVICE)
    with app.app_context():
        loans = request_loans(LoanData(LoanMethod.ONLINE, "对账", 7, [sales.id, service.id]),
                              db.session.get(User, people["sales1"].id))
        db.session.commit()
        by_department = {loan.department_id: loan for loan in loans}
    assert len(loans) == 2
    assert _signers(app, by_department[sales.department_id]) == {"sales_mgr"}
    assert _signers(app, by_department[service.department_id]) == {"gm"}


def test_the_archivist_cannot_approve(app, people):
    """Rule: the archivist executes loans but approves none: the engine refuses their
    signature on a loan waiting for the sales manager."""
    item = catalogue_item(app, people["archivist"], dept=DeptCode.SALES)
    loan = request_loan(app, people["sales1"], [item])
    request_id = latest_request_id(app, loan.id, "ArchiveLoan")
    with pytest.raises(ApprovalError) as refusal:
        sign_as(app, request_id, people["archivist"])
    assert refusal.value.status == 403
    with app.app_context():
        assert db.session.get(ArchiveLoan, loan.id).status == LoanStatus.PENDING


def test_the_signer_must_be_cleared_for_the_highest_item(app, people):
    """Rule: the request carries its items' highest level; the sales manager (秘密) signs a
    秘密 loan of their department, but a 机密 one goes up to the GM."""
    top = make_people(app, "sales_top")["sales_top"]
    secret = catalogue_item(app, people["archivist"], dept=DeptCode.SALES, level=Level.SECRET)
    confidential = catalogue_item(app, people["gm"], dept=DeptCode.SALES,
                                  level=Level.CONFIDENTIAL)
    assert _signers(app, request_loan(app, top, [secret])) == {"sales_mgr"}
    loan = request_loan(app, top, [confidential])
    with app.app_context():
        request = db.session.get(ApprovalRequest, latest_request_id(app, loan.id, "ArchiveLoan"))
        assert request.confidentiality == Level.CONFIDENTIAL
    assert _signers(app, loan) == {"gm"}


def test_the_signer_reads_the_loan_card_before_signing(app, client, people):
    """Rule: the request's page shows the loan's card: who borrows, the method, the purpose,
    the period, each item by 档号 and title, and which rule chose the signer."""
    item = catalogue_item(app, people["archivist"], dept=DeptCode.SALES)
    loan = request_loan(app, people["cs1"], [item], purpose="处理客户投诉需核对合同")
    client.login("gm")
    page = client.get(f"/approvals/{latest_request_id(app, loan.id, 'ArchiveLoan')}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in (item.archive_number, item.title, "钱客服", "在线查阅", "处理客户投诉需核对合同",
                 "7 天", "非本部门档案：由总经理批准"):
        assert text in html, text
    assert "card-generic" not in html


def test_approving_through_the_inbox_opens_the_loan(app, client, people):
    """Rule: the sales manager approves from 我的待办 with their password; the loan's page
    then reads 已批准 with its due time."""
    item = catalogue_item(app, people["archivist"], dept=DeptCode.SALES)
    loan = request_loan(app, people["sales1"], [item])
    client.login("sales_mgr")
    request_id = latest_request_id(app, loan.id, "ArchiveLoan")
    assert sign(client, request_id, password=PASSWORD).status_code in (200, 303)
    page = client.get(f"/archive/loans/{loan.id}").get_data(as_text=True)
    assert 'data-status="approved"' in page and "王建国" in page


def test_the_loan_flow_is_seeded_as_data(app, client):
    """Rule: the loan's flow is a flow like any other: administrators find 档案借阅 at
    /admin/flows/ with its one step and the own-department-or-GM rule, and its edit page says
    whose department decides."""
    make_people(app, "admin", "sales_mgr", "gm")
    client.login("admin")
    listing = client.get("/admin/flows/").get_data(as_text=True)
    assert "档案借阅" in listing and "借阅审批" in listing
    assert "本部门记录由部门经理，其他由总经理" in listing
    with app.app_context():
        flow_id = db.session.scalar(select(ApprovalFlow.id).where(
            ApprovalFlow.kind == "archive.loan"))
    edit = client.get(f"/admin/flows/{flow_id}/edit").get_data(as_text=True)
    assert "按提交人与记录的部门" in edit
