"""Legal holds and disposal lists for tests: items past their retention, holds placed through
the service, disposal lists drafted by the archivist and signed through the engine by the
department's manager and the GM, their waiting period ended, and their execution run."""

from datetime import timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.models import User
from app.models.archive import ArchiveHold, ArchiveItem, DisposalList
from app.models.base import utcnow
from app.services.archive.disposals import execution, operations
from app.services.archive.holds import operations as holds
from tests.factories.approvals import latest_request_id, sign_as
from tests.factories.archive import catalogue_item
from tests.support import PASSWORD, detached, today


def expired_item(app, filed_by, **fields) -> ArchiveItem:
    """A catalogued item (blank copy stored) whose retention ended yesterday."""
    return catalogue_item(app, filed_by, expiry_date=today(app) - timedelta(days=1), **fields)


def hold(app, user, target, reason: str = "诉讼保全：（2026）京0105民初123号") -> ArchiveHold:
    """A hold placed by `user` on an item, a customer (either detached is fine) or a record
    type."""
    with app.app_context():
        if not isinstance(target, str):
            target = db.session.get(type(target), target.id)
        placed = holds.place(target, reason, db.session.get(User, user.id))
        db.session.commit()
        return detached(placed)


def release(app, user, held: ArchiveHold, reason: str = "案件已审结") -> None:
    with app.app_context():
        holds.release(db.session.get(ArchiveHold, held.id), reason,
                      db.session.get(User, user.id))
        db.session.commit()


def draft_disposal(app, archivist, items, appraisal: str = "已无保存价值") -> DisposalList:
    """A disposal list of `items` (due, of one department) drafted and submitted by the
    archivist."""
    with app.app_context():
        disposal = operations.create(select(ArchiveItem), [item.id for item in items],
                                     appraisal, db.session.get(User, archivist.id))
        db.session.commit()
        return detached(disposal)


def approve_disposal(app, team, disposal) -> None:
    """The department's manager reviews, then the GM approves (team.manager, team.gm)."""
    for signer in (team.manager, team.gm):
        sign_as(app, latest_request_id(app, disposal.id, "DisposalList"), signer)


def end_waiting(app, disposal) -> None:
    """The waiting period is over (its end moved into the past)."""
    with app.app_context():
        db.session.execute(update(DisposalList).where(DisposalList.id == disposal.id)
                           .values(wait_until=utcnow() - timedelta(minutes=1)))
        db.session.commit()


def ready_disposal(app, team, items) -> DisposalList:
    """A list of `items` approved and past its waiting period, ready to execute."""
    disposal = draft_disposal(app, team.archivist, items)
    approve_disposal(app, team, disposal)
    end_waiting(app, disposal)
    return disposal


def start_disposal(app, archivist, disposal) -> None:
    """The archivist countersigns and the list is queued (not yet run)."""
    with app.app_context():
        operations.start(db.session.get(DisposalList, disposal.id),
                         db.session.get(User, archivist.id), PASSWORD)
        db.session.commit()


def execute(app, archivist, disposal) -> DisposalList:
    """Countersigned and run to its end."""
    start_disposal(app, archivist, disposal)
    with app.app_context():
        execution.run(disposal.id)
        return detached(db.session.get(DisposalList, disposal.id))
