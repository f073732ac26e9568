"""The complaint return visit (000 L169 「处理完成后,进行回访确认」): a required closing step. The
complaints ledger (not built yet) calls require_before_close when a complaint's handling is done
and may close it only when is_done answers True."""

from sqlalchemy import select

from app.extensions import db
from app.models import Customer
from app.models.service.visits import ReturnVisit, ReturnVisitStatus, VisitKind, VisitSubject
from app.services.service.visits import schedule
from app.timeutil import local_today


def _visits(subject_type: VisitSubject | str, subject_id: int, *statuses):
    return select(ReturnVisit).where(
        ReturnVisit.subject_type == subject_type, ReturnVisit.subject_id == subject_id,
        ReturnVisit.kind == VisitKind.COMPLAINT, ReturnVisit.status.in_(statuses))


def require_before_close(subject_type: VisitSubject | str, subject_id: int, customer_id: int,
                         assignee) -> ReturnVisit:
    """The complaint's return visit, due today, made unless one is open or done already;
    `assignee` (a user, or None for the 客服 manager to assign) visits."""
    existing = db.session.scalars(_visits(subject_type, subject_id, ReturnVisitStatus.DUE,
                                          ReturnVisitStatus.DONE).limit(1)).first()
    if existing is not None:
        return existing
    conn = db.session.connection()
    level = db.session.scalar(select(Customer.confidentiality).where(Customer.id == customer_id))
    row = schedule.visit_values(VisitSubject(subject_type), subject_id, customer_id,
                        VisitKind.COMPLAINT, local_today(), assignee.id if assignee else None,
                        schedule.service_department(conn), level)
    visit = ReturnVisit(**row)
    db.session.add(visit)
    db.session.flush()
    return visit


def is_done(subject_type: VisitSubject | str, subject_id: int) -> bool:
    """Whether the complaint's return visit has been recorded (the complaint may close)."""
    done = _visits(subject_type, subject_id, ReturnVisitStatus.DONE).with_only_columns(
        ReturnVisit.id).limit(1)
    return db.session.scalar(done) is not None
