"""Generating return visits (seed a6), on a database connection so that the same code runs in a
flush listener, a job and a service: the delivery schedule of active contracts (monthly for a
year after the delivery date, then quarterly, per the cadence table), the visit after a
completed service, and the December demand survey.

Rules:
- Generation never makes a visit due before today: a corrected delivery date or a contract
  activated late does not bury the assignee in overdue visits.
- The schedule is generated HORIZON_MONTHS ahead and topped up daily (jobs.daily); topping up
  only adds dates not yet taken by a visit computed from the same delivery date.
- Regenerating (delivery date, status or grade changed) cancels the open visits of the schedule
  and generates it again; visits already done are kept and their dates not repeated."""

from calendar import monthrange
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection, insert, literal, select, update

from app.extensions import db
from app.models import Contract, ContractStatus, Customer, CustomerStatus, CustomerType
from app.models.accounts import Department, DeptCode, User
from app.models.base import utcnow
from app.models.service.records import ServiceRecord
from app.models.service.visits import ReturnVisit, ReturnVisitStatus, VisitKind, VisitSubject
from app.services.service.statistics import days as statistics_days
from app.services.service.visits.settings import (
    AFTER_SERVICE_DAYS,
    HORIZON_MONTHS,
    SURVEY_DAY,
    cadence,
    setting,
)

OPEN = (ReturnVisitStatus.DUE,)
TAKEN = (ReturnVisitStatus.DUE, ReturnVisitStatus.DONE, ReturnVisitStatus.RESCHEDULED)
REGENERATED = "交付日期、合同状态或客户等级变更，回访计划已重新生成"


def add_months(day: date, months: int) -> date:
    """The same day `months` later, on the month's last day where it is shorter (1-31 → 2-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def schedule_dates(basis: date, rule: tuple[int, int, int], first: date, last: date) -> list[date]:
    """The delivery schedule's dates within [first, last]: every `step` months for `phase`
    months after `basis`, then every `later` months."""
    phase, step, later = (max(1, value) for value in rule)
    dates, months = [], step
    while (day := add_months(basis, months)) <= last:
        if day >= first:
            dates.append(day)
        # The later interval counts from the end of the first phase.
        months = months + step if months + step <= phase else max(months, phase) + later
    return dates


def horizon_end(today: date) -> date:
    return add_months(today, setting("HORIZON_MONTHS", HORIZON_MONTHS))


def service_department(conn: Connection) -> int:
    return conn.scalar(select(Department.id).where(Department.code == DeptCode.SERVICE))


def handler_of(customer_id, department_id: int):
    """The customer's service handler, as a scalar subquery: the 负责人 of its latest service
    record who is an active member of 客服部 (None: the manager assigns the visit)."""
    return (select(ServiceRecord.handler_id)
            .join(User, User.id == ServiceRecord.handler_id)
            .where(ServiceRecord.customer_id == customer_id, User.active.is_(True),
                   User.department_id == department_id)
            .order_by(ServiceRecord.id.desc()).limit(1).scalar_subquery())


def _contracts(conn: Connection, department_id: int, contract_ids: Iterable[int] | None):
    """Active contracts with a delivery date, with what their schedule needs."""
    query = (select(Contract.id, Contract.customer_id, Contract.delivery_date, Customer.grade,
                    Customer.confidentiality,
                    handler_of(Contract.customer_id, department_id).label("handler"))
             .join(Customer, Customer.id == Contract.customer_id)
             .where(Contract.status == ContractStatus.ACTIVE,
                    Contract.delivery_date.is_not(None)))
    if contract_ids is not None:
        query = query.where(Contract.id.in_(list(contract_ids)))
    return conn.execute(query).all()


def _taken(conn: Connection, today: date, statuses, contract_ids) -> set[tuple]:
    """(contract id, schedule basis, due date) of the schedule visits from today on."""
    query = select(ReturnVisit.subject_id, ReturnVisit.schedule_basis, ReturnVisit.due_date).where(
        ReturnVisit.subject_type == VisitSubject.CONTRACT, ReturnVisit.kind == VisitKind.DELIVERY,
        ReturnVisit.status.in_(statuses), ReturnVisit.due_date >= today)
    if contract_ids is not None:
        query = query.where(ReturnVisit.subject_id.in_(list(contract_ids)))
    return set(conn.execute(query).all())


def extend(conn: Connection, today: date, contract_ids: Iterable[int] | None = None, *,
           taken_statuses=TAKEN) -> int:
    """Adds the schedule dates up to the horizon that no visit takes yet; the number added."""
    ids = None if contract_ids is None else list(contract_ids)
    department_id = service_department(conn)
    taken = _taken(conn, today, taken_statuses, ids)
    last, rows = horizon_end(today), []
    for contract in _contracts(conn, department_id, ids):
        for day in schedule_dates(contract.delivery_date, cadence(contract.grade), today, last):
            if (contract.id, contract.delivery_date, day) not in taken:
                rows.append(visit_values(
                    VisitSubject.CONTRACT, contract.id, contract.customer_id, VisitKind.DELIVERY,
                    day, contract.handler, department_id, contract.confidentiality,
                    basis=contract.delivery_date))
    if rows:
        conn.execute(insert(ReturnVisit), rows)
        statistics_days.mark_visit_days(db.session, (row["due_date"] for row in rows))
    return len(rows)


def regenerate(conn: Connection, contract_ids: Iterable[int], today: date) -> int:
    """Cancels the open schedule visits of these contracts and generates their schedules again
    (for those still active with a delivery date); done visits stay and keep their dates."""
    ids = list(contract_ids)
    if not ids:
        return 0
    opened = (ReturnVisit.subject_type == VisitSubject.CONTRACT, ReturnVisit.subject_id.in_(ids),
              ReturnVisit.kind == VisitKind.DELIVERY, ReturnVisit.status.in_(OPEN))
    statistics_days.mark_visits_where(conn, *opened)  # the statistics count them by day
    conn.execute(update(ReturnVisit).where(*opened)
                 .values(status=ReturnVisitStatus.CANCELLED, reason=REGENERATED,
                         updated_at=utcnow()))
    return extend(conn, today, ids, taken_statuses=(ReturnVisitStatus.DONE,))


def active_contracts_of(conn: Connection, customer_ids: Iterable[int]) -> list[int]:
    return list(conn.scalars(select(Contract.id).where(
        Contract.customer_id.in_(list(customer_ids)), Contract.status == ContractStatus.ACTIVE)))


def copy_confidentiality(conn: Connection, levels: dict[int, object]) -> None:
    """Visits carry their customer's confidentiality: copied when the customer's changes."""
    for customer_id, level in levels.items():
        statistics_days.mark_visits_where(conn, ReturnVisit.customer_id == customer_id)
        conn.execute(update(ReturnVisit).where(ReturnVisit.customer_id == customer_id)
                     .values(confidentiality=level, updated_at=utcnow()))


def after_service(conn: Connection, record_id: int, completed_on: date) -> bool:
    """The return call after a completed service (unless one is still open for the record);
    True when one was made."""
    open_one = conn.scalar(select(ReturnVisit.id).where(
        ReturnVisit.subject_type == VisitSubject.SERVICE, ReturnVisit.subject_id == record_id,
        ReturnVisit.kind == VisitKind.AFTER_SERVICE, ReturnVisit.status.in_(OPEN)).limit(1))
    if open_one is not None:
        return False
    department_id = service_department(conn)
    record = conn.execute(select(
        ServiceRecord.customer_id, ServiceRecord.confidentiality,
        handler_of(ServiceRecord.customer_id, department_id).label("handler"))
        .where(ServiceRecord.id == record_id)).one()
    days = setting("AFTER_SERVICE_DAYS", AFTER_SERVICE_DAYS)
    due = date.fromordinal(completed_on.toordinal() + days)
    conn.execute(insert(ReturnVisit), [visit_values(
        VisitSubject.SERVICE, record_id, record.customer_id, VisitKind.AFTER_SERVICE, due,
        record.handler, department_id, record.confidentiality)])
    statistics_days.mark_visit_days(db.session, [due])
    return True


def december_surveys(conn: Connection, year: int) -> int:
    """Every 成交客户 whose archive is in force gets one demand survey visit (次年的需求计划) due
    in December of `year`, unless it has one already; one INSERT … SELECT, however many."""
    department_id = service_department(conn)
    due = date(year, 12, setting("SURVEY_DAY", SURVEY_DAY))
    has_one = select(ReturnVisit.id).where(
        ReturnVisit.subject_type == VisitSubject.CUSTOMER, ReturnVisit.subject_id == Customer.id,
        ReturnVisit.kind == VisitKind.SURVEY, ReturnVisit.status != ReturnVisitStatus.CANCELLED,
        ReturnVisit.due_date.between(date(year, 1, 1), date(year, 12, 31))).exists()
    now = utcnow()
    chosen = select(
        literal(VisitSubject.CUSTOMER.value), Customer.id, Customer.id,
        literal(VisitKind.SURVEY.value), literal(due), handler_of(Customer.id, department_id),
        literal(department_id), Customer.confidentiality, literal(ReturnVisitStatus.DUE.value),
        literal(now), literal(now),
    ).where(Customer.status == CustomerStatus.ACTIVE, Customer.type == CustomerType.DEAL,
            ~has_one)
    columns = ("subject_type", "subject_id", "customer_id", "kind", "due_date", "assignee_id",
               "department_id", "confidentiality", "status", "created_at", "updated_at")
    made = insert(ReturnVisit).from_select(columns, chosen).returning(ReturnVisit.id)
    statistics_days.mark_visit_days(db.session, [due])
    return len(conn.execute(made).all())  # rowcount: -1 for INSERT … SELECT on psycopg


def visit_values(subject_type, subject_id, customer_id, kind, due, assignee_id, department_id,
                 level, *, basis: date | None = None, previous_id: int | None = None) -> dict:
    """The values of a generated visit (Core insert: its column defaults still apply)."""
    return dict(subject_type=subject_type, subject_id=subject_id, customer_id=customer_id,
                kind=kind, due_date=due, schedule_basis=basis, assignee_id=assignee_id,
                department_id=department_id, confidentiality=level,
                status=ReturnVisitStatus.DUE, previous_id=previous_id)

