"""Demo archive: one handover list (归档移交单) of the sales department, submitted by its manager
and decided by the archivist, so that a fresh `make run` shows filed items with their 档号: four
records received (filed and checked at receipt), one returned with its reason, one waiting.
Everything goes through the services, as the people's pages would."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from app.models.archive import ArchiveHandoverLine, HandoverLineStatus
from app.services.archive.handovers import eligible, execution, operations


def load(users: dict[str, User]) -> dict[str, int]:
    """Files a few of the sales manager's signed customers and contracts; counts by kind.
    Filing commits on its own, so what the demo made before is committed first."""
    db.session.commit()
    manager, archivist = users["sales_mgr"], users["archivist"]
    offered = (eligible.offered(manager, "Customer", limit=4)
               + eligible.offered(manager, "Contract", limit=2))
    if not offered:
        return {"handover lists": 0, "archive items": 0}
    handover = operations.submit(manager, [(c.record_type, c.record_id) for c in offered],
                                 "客户档案与销售合同移交（演示）")
    lines = list(db.session.scalars(select(ArchiveHandoverLine).where(
        ArchiveHandoverLine.handover_id == handover.id).order_by(ArchiveHandoverLine.id)))
    if len(lines) > 2:
        operations.reject(handover, [lines[2].id], "缺少客户盖章页，请补齐后重新移交", archivist)
    taken = [line.id for i, line in enumerate(lines) if i not in (2, 3)]
    run = operations.accept(handover, taken, archivist)
    db.session.commit()
    execution.execute(run.id)
    filed = db.session.scalar(select(func.count()).select_from(ArchiveHandoverLine).where(
        ArchiveHandoverLine.handover_id == handover.id,
        ArchiveHandoverLine.status == HandoverLineStatus.FILED))
    return {"handover lists": 1, "archive items": filed}
