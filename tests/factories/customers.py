"""Customers and their contacts: real rows through the real services, returned detached."""

from datetime import date

from app.extensions import db
from app.models import (
    Contact,
    Customer,
    CustomerKind,
    CustomerType,
    Grade,
    Industry,
    Level,
    Source,
    User,
)
from app.services.customers import contacts
from app.services.customers import operations as customers
from tests.support import detached, serial


def customer_data(owner_id: int, **overrides) -> customers.CustomerData:
    n = serial()
    values = dict(
        name=f"测试客户{n}有限公司", kind=CustomerKind.UNIT, contact_name="王经理",
        phone=f"139{n:08d}", email=None, address="北京市朝阳区建国路1号",
        industry=Industry.TECH, type=CustomerType.POTENTIAL, grade=Grade.B,
        source=Source.EXPO, first_contact_date=date(2026, 1, 15),
        confidentiality=Level.INTERNAL, id_number=None, remarks=None, owner_id=owner_id)
    values.update(overrides)
    return customers.CustomerData(**values)


def make_customer(app, owner: User, **overrides) -> Customer:
    with app.app_context():
        actor = db.session.get(User, owner.id)
        customer = customers.create_customer(customer_data(owner.id, **overrides), actor)
        db.session.commit()
        return detached(customer)


def make_contact(app, customer, name: str = "钱经理", **fields) -> Contact:
    with app.app_context():
        cust = db.session.get(Customer, customer.id)
        contact = contacts.create_contact(cust, contacts.ContactData(name=name, **fields),
                                          db.session.get(User, cust.owner_id))
        db.session.commit()
        return detached(contact)
