"""What one customer owes, for its page's 应收账款 section: the open terms due first and the
outstanding and overdue sums over all of them, in one statement."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, case, func, literal_column

from app.extensions import db
from app.models import PaymentTerm
from app.services.sales.ledger.receivables import (
    OpenTerm,
    as_yuan,
    describe,
    in_fen,
    open_terms_query,
)


@dataclass
class CustomerOwed:
    """What one customer owes: the open terms due first, how many there are, and the
    outstanding and overdue sums over all of them."""

    terms: list[OpenTerm]
    count: int
    total: Decimal
    overdue: Decimal


def owed_query(scoped: Select, today: date, size: int) -> Select:
    """The first `size` open terms of the contracts in force of `scoped` (policy.scope on
    Contract, of the customer bound as :customer), earliest due first, in one statement: the
    count and the two sums ride along as windows over all the open terms, computed before the
    LIMIT (a customer's page would otherwise send the aging's GROUP BY and a count besides)."""
    owed = in_fen(PaymentTerm.amount) - in_fen(PaymentTerm.paid_total)
    late = case((PaymentTerm.due_date < today, owed), else_=literal_column("0"))
    return (open_terms_query(scoped, None, None)
            .add_columns(func.count().over(), func.sum(owed).over(), func.sum(late).over())
            .order_by(PaymentTerm.due_date, PaymentTerm.id).limit(size))


def customer_owed(statement: Select, customer: int, today: date) -> CustomerOwed:
    """What `customer` owes, by an owed_query `statement` made for `today`."""
    rows = db.session.execute(statement, {"customer": customer}).all()
    count, total, overdue = rows[0][1:] if rows else (0, 0, 0)
    return CustomerOwed(describe([row[0] for row in rows], today), count, as_yuan(total),
                        as_yuan(overdue))
