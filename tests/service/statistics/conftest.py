"""A small service year whose every figure is counted by hand in the tests (2026; one record in
2025 that no 2026 figure may count).

rec  customer (type, level)  type / kind       at          receiver  sat  flags
r1   A (成交, 内部)         售后维护 / 维修   01-10       cs1       5    response late, done
r2   A                      售后维护 / 保养   02-03       cs1       4    closed
r3   A                      售前咨询          03-05       cs2       2    resolution late, open
r4   B (意向, 内部)         售后维护 / 维修   03-20       cs2       3    both late, rework of r1
r5   B                      增值服务          05-10 (Q2)  cs1       —    open, due 05-20
r6   C (成交, 机密)         售中支持          02-14       cs_mgr    1    done
r0   A                      售前咨询          2025-12-31  cs1       5    (last year)

Parts: r1 电源模块 1 used, 滤网 2 sold ¥100.00; r2 滤网 1.5 sold ¥75.50; r4 电源模块 1 used;
r6 主板 1 sold ¥1,200.00. Follow-ups (沟通时间): r1 01-11; r3 03-06 补录; r5 05-12 补录; r6
02-15 补录. Return visits: v1 A due 01-20 done (5); v2 B due 04-01 still due; v3 C due 02-20
done 02-21 (2); v4 A due 2027-01-10."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import delete, select

from app.extensions import db
from app.models import CustomerType, Department, DeptCode, Level
from app.models.service.follow_ups import FollowUpResult, ServiceFollowUp
from app.models.service.records import (
    AfterSalesKind,
    ServicePart,
    ServiceStatus,
    ServiceType,
)
from app.models.service.visits import (
    ReturnVisit,
    ReturnVisitStatus,
    VisitKind,
    VisitSubject,
)
from tests.factories.customers import make_customer
from tests.factories.people import make_people
from tests.factories.service import make_service_record

PEOPLE = ("sales1", "sales2", "sales_top", "sales_mgr", "cs1", "cs2", "cs_mgr", "risk1", "gm",
          "archivist", "admin", "auditor")
AS = ServiceType.AFTERSALES


@dataclass
class Year:
    users: dict
    customers: dict
    records: dict


def _record(app, users, customer, key, **fields):
    receiver = users[fields.pop("receiver")]
    return make_service_record(app, receiver, customer, handler_id=receiver.id,
                               content=f"统计{key}服务内容", contact_phone="13812345678",
                               customer_contact=f"对接人{key}", **fields)


def _parts(record_id: int, *lines) -> list[ServicePart]:
    return [ServicePart(record_id=record_id, position=i, name=name, quantity=Decimal(qty),
                        sold=sold, unit_price=Decimal(price), amount=Decimal(amount))
            for i, (name, qty, sold, price, amount) in enumerate(lines, start=1)]


def _follow_up(record_id: int, user_id: int, at: datetime, late: bool) -> ServiceFollowUp:
    return ServiceFollowUp(record_id=record_id, user_id=user_id, communicated_at=at,
                           points="电话沟通处理进展", result=FollowUpResult.UNRESOLVED, late=late)


def _records(app, users, c) -> dict:
    r = {}
    r[1] = _record(app, users, c["A"], 1, receiver="cs1", service_type=AS,
                   after_sales_kind=AfterSalesKind.REPAIR, service_at=datetime(2026, 1, 10, 9),
                   satisfaction=5, response_breached=True, status=ServiceStatus.DONE,
                   feedback="维修及时，很满意")
    r[2] = _record(app, users, c["A"], 2, receiver="cs1", service_type=AS,
                   after_sales_kind=AfterSalesKind.MAINTENANCE,
                   service_at=datetime(2026, 2, 3, 10), satisfaction=4,
                   status=ServiceStatus.CLOSED)
    r[3] = _record(app, users, c["A"], 3, receiver="cs2", service_type=ServiceType.PRESALES,
                   service_at=datetime(2026, 3, 5, 14), satisfaction=2,
                   resolution_breached=True, status=ServiceStatus.PROCESSING,
                   feedback="响应速度需提升")
    r[4] = _record(app, users, c["B"], 4, receiver="cs2", service_type=AS,
                   after_sales_kind=AfterSalesKind.REPAIR, service_at=datetime(2026, 3, 20, 8),
                   satisfaction=3, response_breached=True, resolution_breached=True,
                   rework_of_id=r[1].id, status=ServiceStatus.DONE)
    r[5] = _record(app, users, c["B"], 5, receiver="cs1", service_type=ServiceType.VALUE_ADDED,
                   service_at=datetime(2026, 5, 10, 9), status=ServiceStatus.PENDING,
                   next_follow_up_due=datetime(2026, 5, 20, 18))
    r[6] = _record(app, users, c["C"], 6, receiver="cs_mgr", service_type=ServiceType.INSALES,
                   service_at=datetime(2026, 2, 14, 16), satisfaction=1,
                   status=ServiceStatus.DONE)
    r[0] = _record(app, users, c["A"], 0, receiver="cs1", service_type=ServiceType.PRESALES,
                   service_at=datetime(2025, 12, 31, 23, 59), satisfaction=5,
                   status=ServiceStatus.CLOSED)
    return r


def _details(app, users, r) -> None:
    with app.app_context():
        db.session.add_all(_parts(r[1].id, ("电源模块", "1", False, "0", "0"),
                                  ("滤网", "2", True, "50", "100.00")))
        db.session.add_all(_parts(r[2].id, ("滤网", "1.5", True, "50.33", "75.50")))
        db.session.add_all(_parts(r[4].id, ("电源模块", "1", False, "0", "0")))
        db.session.add_all(_parts(r[6].id, ("主板", "1", True, "1200", "1200.00")))
        db.session.add_all([
            _follow_up(r[1].id, users["cs1"].id, datetime(2026, 1, 11, 9), False),
            _follow_up(r[3].id, users["cs2"].id, datetime(2026, 3, 6, 9), True),
            _follow_up(r[5].id, users["cs1"].id, datetime(2026, 5, 12, 9), True),
            _follow_up(r[6].id, users["cs_mgr"].id, datetime(2026, 2, 15, 9), True)])
        db.session.commit()


def _visit(customer, assignee, due: date, **fields) -> ReturnVisit:
    return ReturnVisit(subject_type=VisitSubject.CUSTOMER, subject_id=customer.id,
                       customer_id=customer.id, kind=VisitKind.AFTER_SERVICE, due_date=due,
                       assignee_id=assignee.id, confidentiality=customer.confidentiality,
                       **fields)


def _visits(app, users, c) -> None:
    done = ReturnVisitStatus.DONE
    with app.app_context():
        cs = db.session.scalar(select(Department.id).where(Department.code == DeptCode.SERVICE))
        # Only these four: not the visits the schedule generated for the records done above.
        db.session.execute(delete(ReturnVisit))
        db.session.add_all([
            _visit(c["A"], users["cs1"], date(2026, 1, 20), status=done, department_id=cs,
                   visited_at=datetime(2026, 1, 20, 10), satisfaction=5),
            _visit(c["B"], users["cs2"], date(2026, 4, 1), department_id=cs),
            _visit(c["C"], users["cs_mgr"], date(2026, 2, 20), status=done, department_id=cs,
                   visited_at=datetime(2026, 2, 21, 10), satisfaction=2),
            _visit(c["A"], users["cs1"], date(2027, 1, 10), department_id=cs)])
        db.session.commit()


@pytest.fixture
def year(app) -> Year:
    users = make_people(app, *PEOPLE)
    customers = {
        "A": make_customer(app, users["sales1"], type=CustomerType.DEAL, name="甲统计客户有限公司",
                           confidentiality=Level.INTERNAL),
        "B": make_customer(app, users["sales1"], type=CustomerType.INTENT,
                           name="乙统计客户有限公司", confidentiality=Level.INTERNAL),
        "C": make_customer(app, users["sales_top"], type=CustomerType.DEAL,
                           name="丙机密客户有限公司", confidentiality=Level.CONFIDENTIAL),
    }
    records = _records(app, users, customers)
    _details(app, users, records)
    _visits(app, users, customers)
    return Year(users, customers, records)


NOW = datetime(2026, 12, 6, 12, 0)
TODAY = date(2026, 12, 6)
