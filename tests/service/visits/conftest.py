"""The 客服 team return visit tests work with, a customer of sales1's, and readers of the
visits table."""

from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Contract, ContractStatus, Customer, CustomerType, Department, DeptCode
from app.models.service.visits import ReturnVisit, ReturnVisitStatus
from app.timeutil import local_today
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.sales import make_contract
from tests.support import detached, today


@pytest.fixture
def team(app):
    people = make_people(app, "cs1", "cs2", "cs_mgr", "sales1", "sales2", "gm")
    customer = make_customer(app, people["sales1"], type=CustomerType.DEAL)
    return SimpleNamespace(**people, customer=customer)


def delivered(app, customer, delivery, status=ContractStatus.ACTIVE) -> Contract:
    """A contract of `customer` stored with this delivery date (the schedule's trigger)."""
    return make_contract(app, customer, status, delivery_date=delivery)


def visits(app, **where) -> list[ReturnVisit]:
    """The visits with these column values, by due date then id, detached."""
    with app.app_context():
        query = select(ReturnVisit).order_by(ReturnVisit.due_date, ReturnVisit.id)
        for name, value in where.items():
            query = query.where(getattr(ReturnVisit, name) == value)
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        return rows


def open_dates(app, **where) -> list:
    return [v.due_date for v in visits(app, status=ReturnVisitStatus.DUE, **where)]


def change(app, model, record_id: int, **values) -> None:
    """Changes a row through the ORM and commits (what a service's flush does)."""
    with app.app_context():
        row = db.session.get(model, record_id)
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def activate_customer(app, customer) -> None:
    change(app, Customer, customer.id, status="active")


def make_visit(app, customer, assignee=None, due=None, **fields) -> ReturnVisit:
    """A due visit about the customer (its December survey), as the schedule stores one."""
    with app.app_context():
        row = db.session.get(Customer, customer.id)
        values = dict(subject_type="customer", subject_id=row.id, customer_id=row.id,
                      kind="survey", due_date=due or local_today(),
                      assignee_id=assignee.id if assignee else None,
                      department_id=db.session.scalar(select(Department.id).where(
                          Department.code == DeptCode.SERVICE)),
                      confidentiality=row.confidentiality, status=ReturnVisitStatus.DUE)
        values.update(fields)
        visit = ReturnVisit(**values)
        db.session.add(visit)
        db.session.commit()
        return detached(visit)


def days(app, n: int):
    """Today (local) plus n days."""
    return date.fromordinal(today(app).toordinal() + n)
