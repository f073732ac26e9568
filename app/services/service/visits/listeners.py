"""The seam through which the service department hears of other records' changes without their
code calling it (see the package's docstring): SQLAlchemy events, installed once by the
department's plug_in.

- after_flush of any session: a contract inserted active with a delivery date, or one whose
  delivery date or status changed while it was or becomes active, regenerates its schedule; a
  customer's grade change regenerates the schedules of its active contracts; a customer's
  confidentiality is copied to its visits. The attribute history is still the flush's here,
  and the statements run on the flush's connection, in the same transaction.
- after_insert of ServiceEvent: a status event to 已完成 makes the after-service visit."""

from datetime import datetime
from itertools import chain

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.models import Contract, ContractStatus, Customer
from app.models.service.records import ServiceEvent, ServiceStatus
from app.services.service.visits import schedule
from app.timeutil import local_today, to_local


def install() -> None:
    """Listens to flushes and to service events (idempotent: plug_in may run once per app)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
    if not event.contains(ServiceEvent, "after_insert", _service_event):
        event.listen(ServiceEvent, "after_insert", _service_event)


def _changed(obj, *names: str) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _touches_schedule(contract: Contract, new: bool) -> bool:
    """Whether the flush changes what the contract's schedule is computed from."""
    if new:
        return contract.status == ContractStatus.ACTIVE and contract.delivery_date is not None
    if not _changed(contract, "delivery_date", "status"):
        return False
    status = inspect(contract).attrs.status.history
    return ContractStatus.ACTIVE in (*status.added, *status.deleted, *status.unchanged)


def _after_flush(session: Session, _context) -> None:
    """Regenerates the schedules this flush moved, and copies changed confidentiality."""
    contracts, graded, levels = set(), set(), {}
    for obj in chain(session.new, session.dirty):
        if isinstance(obj, Contract) and _touches_schedule(obj, obj in session.new):
            contracts.add(obj.id)
        elif isinstance(obj, Customer) and obj not in session.new:
            if _changed(obj, "grade"):
                graded.add(obj.id)
            if _changed(obj, "confidentiality"):
                levels[obj.id] = obj.confidentiality
    if not (contracts or graded or levels):
        return
    conn = session.connection()
    if graded:
        contracts.update(schedule.active_contracts_of(conn, graded))
    schedule.regenerate(conn, contracts, local_today())
    schedule.copy_confidentiality(conn, levels)


def _service_event(_mapper, connection, target: ServiceEvent) -> None:
    """A service record went 已完成: its return visit, counted from the local day it did."""
    if target.to_status != ServiceStatus.DONE:
        return
    at = target.at if isinstance(target.at, datetime) else None
    day = to_local(at).date() if at else local_today()
    schedule.after_service(connection, target.record_id, day)
