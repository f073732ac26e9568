"""Retention: the seeded schedule, expiry counted from the kind's trigger event, recomputed
when the rule or the trigger changes."""

from datetime import date

from sqlalchemy import select, update

from app.extensions import db
from app.models import Customer, CustomerType
from app.models.archive import ArchiveItem, RetentionRule
from app.services.archive import retention
from app.timeutil import local_today, to_local
from tests.factories.approvals import approved_customer
from tests.factories.archive import file_as
from tests.factories.sales import approved, make_contract


def test_schedule_is_seeded_with_the_spec_defaults(app):
    """Customers 3 years after the relationship ends, contracts 10 after completion, service
    records 4, complaints 3, destruction lists permanent."""
    with app.app_context():
        rules = {r.record_type: (r.code, r.years, r.trigger.value)
                 for r in db.session.scalars(select(RetentionRule))}
    assert rules["Customer"] == ("D3", 3, "relationship_end")
    assert rules["Contract"] == ("D10", 10, "completion")
    assert rules["ServiceRecord"][1] == 4 and rules["Complaint"][:2] == ("D3", 3)
    assert rules["DisposalList"] == ("Y", None, "filing")


def test_contract_expires_ten_years_after_its_end_date(app, team):
    """A contract's expiry is its completion (end date) plus ten years."""
    contract = approved(app, team, make_contract(app, by=team.staff, end_date=date(2027, 2, 28)))
    item = file_as(app, team.archivist, "Contract", contract.id)
    assert (item.trigger_date, item.expiry_date) == (date(2027, 2, 28), date(2037, 2, 28))
    assert item.retention_years == 10


def test_customer_expiry_waits_for_the_end_of_the_relationship(app, team):
    """An active customer's file has no expiry yet; once the customer is marked 流失 the item's
    expiry is recomputed to three years after."""
    customer = approved_customer(app, team)
    item = file_as(app, team.archivist, "Customer", customer.id)
    assert (item.trigger_date, item.expiry_date) == (None, None)
    with app.app_context():
        db.session.execute(update(Customer).where(Customer.id == customer.id)
                           .values(type=CustomerType.LOST))
        stored = db.session.get(ArchiveItem, item.id)
        assert retention.refresh(stored)
        ended = to_local(db.session.get(Customer, customer.id).updated_at).date()
        assert stored.trigger_date == ended
        assert stored.expiry_date == ended.replace(year=ended.year + 3)


def test_rule_change_recomputes_expiry_but_not_the_number(app, team):
    """Editing the schedule (signing + 5 years) recomputes the item's expiry; its 档号 keeps the
    period it was numbered with."""
    customer = approved_customer(app, team)
    item = file_as(app, team.archivist, "Customer", customer.id)
    with app.app_context():
        rule = db.session.scalar(select(RetentionRule).where(
            RetentionRule.record_type == "Customer"))
        rule.years, rule.trigger = 5, "signing"
        stored = db.session.get(ArchiveItem, item.id)
        assert retention.refresh(stored) and not retention.refresh(stored)
        today = local_today()
        assert stored.expiry_date == today.replace(year=today.year + 5)
        assert "-D3-" in stored.archive_number and stored.retention_years == 5


def test_expiry_date_of_a_leap_day_and_of_permanent_items():
    """29 February counts to 28 February; permanent items and future triggers never expire."""
    assert retention.expiry_date(date(2028, 2, 29), 3) == date(2031, 2, 28)
    assert retention.expiry_date(date(2026, 5, 1), None) is None
    assert retention.expiry_date(None, 10) is None
