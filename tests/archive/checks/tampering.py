"""What the check tests do to a filed item (its copy, its catalogue row) and how they run a
check over it."""

import hashlib

from sqlalchemy import update

from app.extensions import db
from app.models.archive import ArchiveCheckRun, ArchiveItem, CheckScope, CheckTrigger
from app.services.archive.checks import runs, scopes
from tests.support import detached


def set_columns(app, item_id: int, **values) -> None:
    """Changes the item's catalogue row behind the application's back."""
    with app.app_context():
        db.session.execute(update(ArchiveItem).where(ArchiveItem.id == item_id).values(**values))
        db.session.commit()


def flip_byte(path, at: float = 1 / 3) -> bytes:
    """One byte of the stored copy changed, at `at` of its length; returns the new bytes."""
    data = bytearray(path.read_bytes())
    data[int(len(data) * at)] ^= 0x01
    path.write_bytes(bytes(data))
    return bytes(data)


def rehash(app, item_id: int, data: bytes) -> None:
    """Records the tampered bytes' digests in the catalogue, as someone covering tracks."""
    set_columns(app, item_id, sha256=hashlib.sha256(data).hexdigest(),
                sm3=hashlib.new("sm3", data).hexdigest(), size=len(data))


def check_all(app, choice: scopes.ScopeChoice | None = None, chunk: int = runs.CHUNK
              ) -> ArchiveCheckRun:
    """A command-line run over `choice` (every item), run to its end; the run, detached."""
    with app.app_context():
        run_id = scopes.request(choice or scopes.ScopeChoice(), None, CheckTrigger.COMMAND).id
        db.session.commit()
        runs.run(run_id, chunk=chunk)
        return detached(db.session.get(ArchiveCheckRun, run_id))


def only(item_id: int) -> scopes.ScopeChoice:
    return scopes.ScopeChoice(CheckScope.SELECTION, item_ids=[item_id])
