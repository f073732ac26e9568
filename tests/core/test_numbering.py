"""Numbers are meaningful, sequential per year and industry, and unique under concurrency."""

import threading

from app.extensions import db
from app.models import Customer, Industry, User
from app.services.core import numbering
from app.services.customers import operations as customers
from app.timeutil import local_today
from tests.factories.customers import customer_data
from tests.factories.people import make_user


def test_numbers_run_per_year_and_industry(app):
    owner = make_user(app, "sales1")
    with app.app_context():
        actor = db.session.get(User, owner.id)
        made = [customers.create_customer(customer_data(owner.id, industry=industry), actor)
                for industry in (Industry.TECH, Industry.TECH, Industry.MFG)]
        db.session.commit()
        year = local_today().year
        assert [c.number for c in made] == [f"{year}-TECH-001", f"{year}-TECH-002",
                                            f"{year}-MFG-001"]


def test_a_rolled_back_creation_never_shows_a_number(app):
    """A number is only taken when the record commits; committed numbers are never reused."""
    with app.app_context():
        first = numbering.next_value("test:series")
        db.session.rollback()
        again = numbering.next_value("test:series")
        db.session.commit()
        after = numbering.next_value("test:series")
        db.session.commit()
    assert (first, again, after) == (1, 1, 2)


def test_twenty_concurrent_creators_get_twenty_distinct_consecutive_numbers(app):
    owner = make_user(app, "sales1")
    start = threading.Barrier(20)
    numbers, errors = [], []

    def create(i: int) -> None:
        with app.app_context():
            try:
                data = customer_data(owner.id, name=f"并发客户{i:02d}有限公司")
                start.wait(timeout=30)  # before any connection is taken from the pool
                actor = db.session.get(User, owner.id)
                customer = customers.create_customer(data, actor)
                db.session.commit()
                numbers.append(customer.number)
            except Exception as error:  # reported below, with the thread that hit it
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with app.app_context():
        year = local_today().year
        assert db.session.query(Customer).count() == 20
    assert sorted(numbers) == [f"{year}-TECH-{n:03d}" for n in range(1, 21)]
