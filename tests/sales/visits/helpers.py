"""Factories for visits and contacts: rows through the real services, returned detached."""

from datetime import date, datetime, time
from io import BytesIO

from openpyxl import load_workbook

from app.extensions import db
from app.models import Contact, Customer, User, VisitPlan, VisitReport
from app.services.customers import contacts
from app.services.sales.visits import operations as visits
from app.timeutil import local_now, local_today


def _detached(obj):
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


def today(app) -> date:
    with app.app_context():
        return local_today()


def now(app) -> datetime:
    """The local time now, naive, to the minute."""
    with app.app_context():
        return local_now().replace(tzinfo=None, second=0, microsecond=0)


def make_plan(app, customer, planned_date: date | None = None, **fields) -> VisitPlan:
    with app.app_context():
        cust = db.session.get(Customer, customer.id)
        values = dict(planned_date=planned_date or local_today(), purpose="介绍新产品",
                      expected_time="09:30-11:00", contact_name="王经理")
        values.update(fields)
        plan = visits.create_plan(cust, visits.PlanData(**values), db.session.get(User,
                                                                                   cust.owner_id))
        db.session.commit()
        return _detached(plan)


def make_report(app, customer, visited_at: datetime | None = None, plan=None,
                **fields) -> VisitReport:
    """A report; `visited_at` is local time (default: today at 08:00)."""
    with app.app_context():
        cust = db.session.get(Customer, customer.id)
        values = dict(visited_at=visited_at or datetime.combine(local_today(), time(8, 0)),
                      contact_met="王经理", purpose="回访", content="介绍了新产品线")
        values.update(fields)
        linked = db.session.get(VisitPlan, plan.id) if plan is not None else None
        report = visits.create_report(cust, visits.ReportData(**values),
                                      db.session.get(User, cust.owner_id), linked)
        db.session.commit()
        return _detached(report)


def make_contact(app, customer, name: str = "钱经理", **fields) -> Contact:
    with app.app_context():
        cust = db.session.get(Customer, customer.id)
        contact = contacts.create_contact(cust, contacts.ContactData(name=name, **fields),
                                          db.session.get(User, cust.owner_id))
        db.session.commit()
        return _detached(contact)


def fetch(app, model, record_id: int):
    with app.app_context():
        obj = db.session.get(model, record_id)
        return _detached(obj) if obj is not None else None


def sheet(response) -> list[tuple]:
    """The rows of a downloaded workbook's first sheet."""
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    book = load_workbook(BytesIO(response.data), read_only=True)
    return [tuple(row) for row in book.active.iter_rows(values_only=True)]
