"""Service records (客服部) for tests: rows with the numbering rule (customer number +
sequence, from the service's counter), the customer's confidentiality and 客服部 as
department, returned detached."""

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Customer, Department, DeptCode, User
from app.models.service.records import (
    ConfirmationMethod,
    Priority,
    ServiceEvent,
    ServiceEventKind,
    ServiceRecord,
    ServiceStatus,
    ServiceType,
)
from app.services.service.records.numbering import next_number
from tests.support import detached


def make_service_record(app, receiver: User, customer: Customer, **fields) -> ServiceRecord:
    """A 待处理 record registered by `receiver` (首问责任人); `fields` override the defaults."""
    with app.app_context():
        cs = db.session.scalar(select(Department).where(Department.code == DeptCode.SERVICE))
        row = db.session.get(Customer, customer.id)
        # The service's own counter, so that records made here and registered through the
        # service never share a number.
        number, sequence = next_number(row)
        values = dict(
            number=number, sequence=sequence, customer_id=row.id,
            department_id=cs.id, confidentiality=row.confidentiality,
            service_type=ServiceType.AFTERSALES, priority=Priority.MEDIUM,
            service_at=datetime(2026, 3, 2, 9, 0), content="设备无法开机,请求上门检修",
            status=ServiceStatus.PENDING, first_receiver_id=receiver.id)
        values.update(fields)
        record = ServiceRecord(**values)
        db.session.add(record)
        db.session.flush()
        db.session.add(ServiceEvent(record_id=record.id, kind=ServiceEventKind.CREATED,
                                    user_id=receiver.id, to_status=record.status,
                                    at=record.service_at))
        db.session.commit()
        return detached(record)


def closed_service_record(app, handler: User, customer: Customer, **fields) -> ServiceRecord:
    """A record `handler` registered, handled and closed after the customer's confirmation by
    phone (what its 审核 needs); `fields` override."""
    values = dict(status=ServiceStatus.CLOSED, handler_id=handler.id, solution="更换电源模块",
                  result="设备恢复正常", satisfaction=5, confirmed_by="王经理",
                  confirmation_method=ConfirmationMethod.PHONE,
                  confirmed_at=datetime(2026, 3, 3, 10, 0),
                  confirmation_recorded_by_id=handler.id,
                  completed_at=datetime(2026, 3, 3, 1, 0), closed_at=datetime(2026, 3, 3, 2, 30))
    values.update(fields)
    return make_service_record(app, handler, customer, **values)
