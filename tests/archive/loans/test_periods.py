"""A loan's period: it runs `days` from approval (at most 30), can be renewed once with the
whole loan still within 30 days, and an online loan closes by itself at its due time: every
access checks the time, and the hourly task puts the closing on record."""

from datetime import timedelta

from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.models import AuditEvent, DeptCode
from app.models.archive import ArchiveItem, ArchiveLoan, LoanStatus
from app.models.base import utcnow
from app.policy import Action
from app.policy.archive.loans import loan_allows
from app.services.archive.loans import execution
from tests.factories.archive import approve_loan, catalogue_item, request_loan


def _lent(app, people, days=7, method="online"):
    item = catalogue_item(app, people["archivist"], dept=DeptCode.SALES)
    loan = request_loan(app, people["sales1"], [item], method=method, days=days)
    return item, approve_loan(app, loan, people["sales_mgr"])


def _allows(app, user, item, action=Action.READ_CONTENT) -> bool:
    with app.app_context():
        return loan_allows(db.session.merge(user), db.session.get(ArchiveItem, item.id), action)


def _renew(client, loan, days):
    return client.post_form(f"/archive/loans/{loan.id}/renew", {"days": str(days)})


def _loan(app, loan) -> ArchiveLoan:
    with app.app_context():
        return db.session.get(ArchiveLoan, loan.id)


def test_the_period_runs_from_approval(app, people):
    """Rule: an approved loan of 10 days is due 10 days after it was approved."""
    _item, loan = _lent(app, people, days=10)
    assert loan.due_at - loan.approved_at == timedelta(days=10)
    assert abs(loan.approved_at - utcnow()) < timedelta(minutes=1)


def test_one_renewal_within_thirty_days(app, client, people):
    """Rule: a 7-day loan renews once by at most 23 days (30 in all); 24 days, a second
    renewal and a renewal by someone else are refused."""
    _item, loan = _lent(app, people)
    client.login("sales1")
    _renew(client, loan, 24)
    assert _loan(app, loan).renewal_days is None
    assert "合计不超过 30 天" in client.get(f"/archive/loans/{loan.id}").get_data(as_text=True)
    _renew(client, loan, 23)
    renewed = _loan(app, loan)
    assert renewed.renewal_days == 23 and renewed.due_at == loan.due_at + timedelta(days=23)
    _renew(client, loan, 1)
    assert _loan(app, loan).due_at == renewed.due_at
    client.login("sales_mgr")
    assert _renew(client, loan, 1).status_code == 403


def test_a_thirty_day_loan_cannot_be_renewed(app, people):
    """Rule: a loan that already runs 30 days has no renewal left."""
    _item, loan = _lent(app, people, days=30)
    with app.app_context():
        assert execution.renewable_days(db.session.get(ArchiveLoan, loan.id)) == 0


def test_an_online_loan_closes_at_its_due_time(app, client, people, clock):
    """Rule: before the due time the borrower reads the item; one minute after it the viewer
    is refused and loan_allows says no, even before the task has marked the loan; then the
    task marks it 已到期 and audits it, once."""
    item, loan = _lent(app, people)
    client.login("sales1")
    view = f"/archive/loans/{loan.id}/items/{item.id}/view"
    clock(days=6, hours=23)
    assert client.get(view).status_code == 200 and _allows(app, people["sales1"], item)
    clock(days=7, minutes=1)
    assert client.get(view).status_code == 403
    assert not _allows(app, people["sales1"], item)
    assert _loan(app, loan).status == LoanStatus.APPROVED  # not marked yet: closed by time
    with app.app_context():
        assert execution.run_expiry() == 1 and execution.run_expiry() == 0
        events = list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "ArchiveLoan", AuditEvent.object_id == loan.id)))
    assert _loan(app, loan).status == LoanStatus.EXPIRED
    assert events.count("archive_loan_expired") == 1
    assert "已到期" in client.get(f"/archive/loans/{loan.id}").get_data(as_text=True)


def test_renewal_keeps_the_loan_open_longer(app, client, people, clock):
    """Rule: renewed by 5 days, a 7-day loan still opens on day 10 and closes after day 12."""
    item, loan = _lent(app, people)
    client.login("sales1")
    _renew(client, loan, 5)
    clock(days=10)
    assert _allows(app, people["sales1"], item)
    clock(days=12, minutes=1)
    assert not _allows(app, people["sales1"], item)


def test_a_loan_past_its_due_time_cannot_be_renewed(app, client, people, clock):
    """Rule: on day 8 of a 7-day loan the renewal is refused with its reason."""
    _item, loan = _lent(app, people)
    client.login("sales1")
    clock(days=8)
    answer = client.post_form(f"/archive/loans/{loan.id}/renew", {"days": "3"},
                              follow_redirects=True)
    assert "只有借阅中、尚未到期的借阅可以续借" in answer.get_data(as_text=True)
    assert _loan(app, loan).renewal_days is None


def test_only_copies_allow_printing(app, people):
    """Rule: an online loan opens the content (READ_CONTENT) but not PRINT; a copy loan both;
    neither opens anything for another user."""
    online_item, _online = _lent(app, people)
    copy_item, _copy = _lent(app, people, method="copy")
    sales1 = people["sales1"]
    assert _allows(app, sales1, online_item)
    assert not _allows(app, sales1, online_item, Action.PRINT)
    assert _allows(app, sales1, copy_item) and _allows(app, sales1, copy_item, Action.PRINT)
    assert not _allows(app, people["sales_mgr"], copy_item)


def test_the_worker_closes_expired_loans_every_hour():
    """Rule: the queue's periodic tasks include archive_loan_expiry, due every hour at :05."""
    task = jobs.loan_expiry.task_class()
    assert task.name == "archive_loan_expiry"
    assert any(p.name == "archive_loan_expiry" for p in jobs.huey._registry.periodic_tasks)
    at = utcnow().replace(minute=5, second=0, microsecond=0)
    assert task.validate_datetime(at) and not task.validate_datetime(at.replace(minute=6))
