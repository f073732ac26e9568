"""Fault reports for tests, through the fault report service."""

from datetime import datetime

from app.extensions import db
from app.models import User
from app.models.service.roster import FaultReport
from app.services.service.faults import operations
from tests.support import detached


def make_fault(app, reporter, customer, **fields):
    """A reported (open) fault of `customer`, reported by `reporter`."""
    values = dict(customer_id=customer.id, occurred_at=datetime(2026, 3, 2, 9, 30),
                  place="机房三层", symptoms="核心交换机宕机，全部业务中断", plan="启用备用交换机")
    values.update(fields)
    with app.app_context():
        report = operations.report_fault(operations.FaultData(**values),
                                         db.session.get(User, reporter.id))
        db.session.commit()
        return detached(report)


def complete_fault(app, report, actor):
    """Completes `report` with an analysis, as `actor`."""
    with app.app_context():
        operations.complete(db.session.get(FaultReport, report.id), operations.Analysis(
            "业务中断两小时", "更换交换机", "电源模块老化", "每季度巡检电源"),
            db.session.get(User, actor.id))
        db.session.commit()
