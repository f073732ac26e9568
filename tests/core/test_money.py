"""Amounts are exact: stored as integer fen / thousandths, summed in SQL without floats."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Contract, ContractKind, ContractLine
from app.models.base import Money, Quantity
from app.services.sales.scope import inherit_scope
from tests.factories.customers import make_customer
from tests.factories.people import make_user


@pytest.mark.parametrize("value, stored", [(Decimal("0.10"), 10), (Decimal("0.105"), 11),
                                           (Decimal("1234567.89"), 123456789),
                                           ("0.3", 30)])
def test_money_is_stored_as_integer_fen(value, stored):
    assert Money().process_bind_param(value, None) == stored


def test_quantities_keep_three_decimals():
    assert Quantity().process_bind_param(Decimal("2.5005"), None) == 2501
    assert Quantity().process_result_value(2501, None) == Decimal("2.501")


def test_sums_are_exact_on_the_database(app):
    owner = make_user(app, "sales1")
    customer = make_customer(app, owner)
    with app.app_context():
        contract = Contract(number="HT-T-1", name="t", customer_id=customer.id,
                            kind=ContractKind.SALES, created_by_id=owner.id)
        inherit_scope(contract, customer)
        contract.lines = [ContractLine(position=i, product="p", quantity=Decimal("1"),
                                       unit_price=Decimal("0.10"), amount=Decimal("0.10"))
                          for i in range(3)]
        db.session.add(contract)
        db.session.commit()
        total = db.session.scalar(select(func.sum(ContractLine.amount)))
    assert total == Decimal("0.30") and isinstance(total, Decimal)
