"""An import batch's life: the dry run (no record written), the start, the job and its progress.

The job writes a chunk of rows per transaction and commits the batch's counters with it, so the
summary always reconciles with what is in the database (rows read = created + updated + skipped
+ failed). A chunk whose write fails (a colleague registered the same name a moment ago, a lock
timeout) is rolled back whole and checked and written again.
"""

import json
import logging
import math
from collections import Counter
from dataclasses import dataclass
from itertools import islice

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app import policy
from app.extensions import db
from app.models import DuplicateRule, ImportBatch, ImportStatus
from app.models.base import utcnow
from app.policy import Action
from app.policy import imports as import_policy
from app.services.core import audit
from app.services.core.loading import load_related
from app.services.imports import files, kept, registry
from app.services.imports.base import Outcome, Plan
from app.services.imports.errors import BadFile

log = logging.getLogger(__name__)
PER_PAGE = 100
ATTEMPTS = 3
RETRYABLE = (IntegrityError, StaleDataError, OperationalError)  # and each importer's own


class NotAllowed(Exception):
    """Only the uploader starts a batch, and only once."""


def _chunks(records, size: int | None = None):
    size = size or current_app.config["IMPORT_CHUNK_ROWS"]
    while chunk := list(islice(records, size)):
        yield chunk


def _encode(plan: Plan) -> list:
    entry = [plan.row, plan.label, plan.outcome.value, plan.reason]
    if plan.existing is not None and plan.on_update is not None:
        entry += [plan.on_update.value, plan.update_reason]
    return entry


def check_upload(actor, ledger: str, filename: str, data: bytes,
                 rule: DuplicateRule) -> ImportBatch:
    """The dry run: checks every row, keeps the file and each row's result, writes no record;
    refuses (BadFile) a ledger not of the actor's department (policy.imports), an unreadable
    file, a missing required column or a file without rows."""
    importer = registry.importer_for(ledger)
    if not policy.can(actor, Action.CREATE, import_policy.desk(registry.department_of(ledger))):
        raise BadFile(_("您不能导入%(ledger)s：每个部门只导入本部门的台账。",
                        ledger=registry.labels()[ledger]))
    header, rows = files.read_sheet(data)
    mapping = importer.map_headers(header)
    state = importer.begin(actor, rule)
    packer, entries = kept.Packer(header), []
    for chunk in _chunks(rows):
        packer.add(chunk)
        plans = importer.plan_rows(list(files.records(chunk, mapping)), state)
        entries.extend(_encode(plan) for plan in plans)
    if not entries:
        raise BadFile(_("文件中没有数据行：第一行为表头，从第二行起每行一条记录。"))
    batch = ImportBatch(ledger=ledger, filename=(filename or "upload.xlsx")[:200],
                        file_data=data, kept_rows=packer.packed(), duplicate_rule=rule,
                        status=ImportStatus.CHECKED, total_rows=len(entries),
                        created_by_id=actor.id,
                        preview=json.dumps(entries, ensure_ascii=False, separators=(",", ":")))
    db.session.add(batch)
    db.session.flush()
    return batch


@dataclass
class PreviewRow:
    row: int
    label: str
    outcome: Outcome
    reason: str


@dataclass
class Preview:
    counts: Counter
    rows: list[PreviewRow]
    page: int
    pages: int
    shown: int


def preview(batch: ImportBatch, rule: DuplicateRule, show: str | None, page: int) -> Preview:
    """The dry run's rows under `rule` (duplicates skipped or updated), `show` only, paged."""
    rows = []
    for entry in json.loads(batch.preview or "[]"):
        row, label, outcome, reason = entry[:4]
        if len(entry) > 4 and rule == DuplicateRule.UPDATE:
            outcome, reason = entry[4], entry[5]
        rows.append(PreviewRow(row, label, Outcome(outcome), reason))
    counts = Counter(r.outcome for r in rows)
    if show in {o.value for o in Outcome}:
        rows = [r for r in rows if r.outcome == show]
    pages = max(1, math.ceil(len(rows) / PER_PAGE))
    page = min(max(1, page), pages)
    return Preview(counts, rows[(page - 1) * PER_PAGE:page * PER_PAGE], page, pages, len(rows))


def visible(user, ledgers: list[str]) -> Select:
    """The batches of `ledgers` the user may see (their own; a manager's department's; the
    GM's all), newest first."""
    return (policy.scope(select(ImportBatch), user, ImportBatch)
            .where(ImportBatch.ledger.in_(ledgers))
            .options(joinedload(ImportBatch.created_by)).order_by(ImportBatch.id.desc()))


def load_page(batch: ImportBatch) -> ImportBatch:
    """The batch with the uploader its page names."""
    load_related([batch], joinedload(ImportBatch.created_by))
    return batch


def recent(user, ledgers: list[str], limit: int = 20) -> list[ImportBatch]:
    """The newest of the batches of `ledgers` the user may see."""
    return list(db.session.scalars(visible(user, ledgers).limit(limit)))


def start(batch: ImportBatch, rule: DuplicateRule, actor) -> None:
    """Queues a checked batch under `rule`; refuses (NotAllowed) anyone but its uploader and a
    batch that was already started."""
    if batch.created_by_id != actor.id or batch.status != ImportStatus.CHECKED:
        raise NotAllowed
    batch.duplicate_rule = rule
    batch.status = ImportStatus.QUEUED
    audit.record("import_started", batch, actor=actor, object_label=_label(batch),
                 changes={"ledger": batch.ledger, "rows": batch.total_rows, "rule": rule.value})


def unqueue(batch: ImportBatch) -> None:
    """Back to checked when the queue could not take the job (the user may start it again)."""
    batch.status = ImportStatus.CHECKED


def _label(batch: ImportBatch) -> str:
    return f"#{batch.id} {batch.filename}"


def _claim(batch_id: int) -> bool:
    """Marks a queued batch running; False if it is not queued (a job delivered twice)."""
    claimed = db.session.execute(
        update(ImportBatch).where(ImportBatch.id == batch_id,
                                  ImportBatch.status == ImportStatus.QUEUED)
        .values(status=ImportStatus.RUNNING, updated_at=utcnow()))
    db.session.commit()
    return claimed.rowcount == 1


def run(batch_id: int) -> None:
    """The job: writes a queued batch chunk by chunk; leaves any other batch alone."""
    if not _claim(batch_id):
        return
    batch = db.session.get(ImportBatch, batch_id)
    failures: dict[int, str] = {}
    try:
        _write_all(batch, failures)
    except Exception:
        log.exception("import batch %s stopped", batch_id)
        db.session.rollback()
        _finish(batch, failures, _("导入在处理完 %(n)d 行后中断，其余行未写入；"
                                   "请稍后重新导入这些行。", n=batch.processed))
        return
    _finish(batch, failures)


def _rows(batch: ImportBatch):
    """(header, rows) as the dry run read them (a batch checked before rows were kept: the
    file, read again)."""
    if batch.kept_rows is not None:
        return kept.unpack(batch.kept_rows)
    return files.read_sheet(batch.file_data)


def _write_all(batch: ImportBatch, failures: dict[int, str]) -> None:
    importer = registry.importer_for(batch.ledger)
    state = importer.begin(batch.created_by, batch.duplicate_rule)
    header, rows = _rows(batch)
    for chunk in _chunks(files.records(rows, importer.map_headers(header))):
        _write_chunk(importer, state, batch, chunk, failures)


def _write_chunk(importer, state, batch: ImportBatch, chunk: list, failures: dict) -> None:
    """Checks and writes one chunk with the batch's counters in one transaction (retried)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            finals = importer.write(importer.plan_rows(chunk, state), state, batch)
            counts = Counter(outcome for _plan, outcome, _reason in finals)
            batch.created += counts[Outcome.CREATE]
            batch.updated += counts[Outcome.UPDATE]
            batch.skipped += counts[Outcome.SKIP]
            batch.failed += counts[Outcome.ERROR]
            batch.processed += len(chunk)
            db.session.commit()
        except (*RETRYABLE, *importer.retryable):
            db.session.rollback()
            state.forget({row for row, _cells in chunk})
            if attempt == ATTEMPTS:
                raise
            continue
        failures.update({plan.row: reason for plan, outcome, reason in finals
                         if outcome == Outcome.ERROR})
        return


def _finish(batch: ImportBatch, failures: dict[int, str], error: str | None = None) -> None:
    """Done (or failed): the failed rows' workbook, the time, an audit event with the counts."""
    batch.failed_rows = files.failed_rows(*_rows(batch), failures) if failures else None
    batch.status = ImportStatus.FAILED if error else ImportStatus.DONE
    batch.error = error
    batch.finished_at = utcnow()
    audit.record("import_finished", batch, actor=batch.created_by, object_label=_label(batch),
                 changes={"rows": batch.total_rows, "processed": batch.processed,
                          "created": batch.created, "updated": batch.updated,
                          "skipped": batch.skipped, "failed": batch.failed,
                          "status": batch.status.value})
    db.session.commit()
