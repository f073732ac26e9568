"""Batch printing for the archivist (req 10): the chosen items' frozen copies, each stamped
with the archivist's watermark (copies.py), as one PDF (pikepdf concatenation) or a zip of one
PDF per item, made by a background job whose progress the shared widget shows. The result is
kept in the job's row (any web node serves it). Every copy printed is audited with its item
when the result is stored; taking the file is audited again (print_taken).

Each item is checked again when the job prints it (the archivist's clearance or the item may
have changed since the choice): one that may not be printed, or has no content, is left out
and named in the job's `skipped` with the reason."""

import json
import zipfile
from collections.abc import Callable
from io import BytesIO

import pikepdf
from flask_babel import gettext as _

from app import policy
from app.extensions import db
from app.models import User
from app.models.archive import ArchiveItem, ArchivePrintJob, PrintFormat, PrintStatus
from app.models.base import utcnow
from app.policy import Action
from app.services.archive.items.copies import CopyUnavailable, Overlays, stamp, stored_copy
from app.services.core import audit
from app.services.core.errors import Refused
from app.services.core.pdf import Printed, archival_context

BATCH_LIMIT = 100  # items per job: the result is held in memory and in one row
_queue: Callable[[int], object] | None = None


class PrintRefused(Refused):
    """A batch print that cannot be asked for (nothing chosen, too many items)."""


def use_queue(task: Callable[[int], object]) -> None:
    """The job queue's task (the archive's pages register app.jobs' one: the service layer
    does not import the job module, which builds the whole application)."""
    global _queue
    _queue = task


def enqueue(job_id: int) -> None:
    """Hands the job to the queue after the caller's commit (no queue, as in a script: runs
    it here)."""
    if _queue is None:
        run(job_id)
    else:
        _queue(job_id)


def request_print(item_ids: list[int], format_: PrintFormat, user: User) -> ArchivePrintJob:
    """A queued job for the items (ids in the order chosen, each once), in the caller's
    transaction; refuses none or more than BATCH_LIMIT."""
    chosen = list(dict.fromkeys(item_ids))
    if not chosen:
        raise PrintRefused(_("请先勾选要打印的档案。"), "item_ids")
    if len(chosen) > BATCH_LIMIT:
        raise PrintRefused(_("一次最多批量打印 %(n)d 件档案，请分批打印。", n=BATCH_LIMIT),
                           "item_ids")
    job = ArchivePrintJob(requested_by_id=user.id, format=format_, item_ids=json.dumps(chosen),
                          total=len(chosen), processed=0, status=PrintStatus.QUEUED)
    db.session.add(job)
    db.session.flush()
    return job


def run(job_id: int) -> None:
    """Prints the job's items and stores the result; a failure is kept on the job."""
    job = db.session.get(ArchivePrintJob, job_id)
    if job is None or job.status != PrintStatus.QUEUED:
        return
    job.status = PrintStatus.RUNNING
    db.session.commit()
    try:
        with archival_context():  # a worker has no request for the overlay's layout
            _print(job)
    except Exception as error:
        db.session.rollback()
        job = db.session.get(ArchivePrintJob, job_id)
        job.status, job.error = PrintStatus.FAILED, str(error)[:2000]
        db.session.commit()
        raise


def _print(job: ArchivePrintJob) -> None:
    user = db.session.get(User, job.requested_by_id)
    overlays, copies, skipped = Overlays(user), [], []
    for item_id in json.loads(job.item_ids):
        item = db.session.get(ArchiveItem, item_id)
        try:
            copies.append((item, _stamped_copy(item, user, overlays)))
        except CopyUnavailable as refusal:
            skipped.append(f"{item.archive_number if item else item_id}：{refusal.message}")
        job.processed += 1
        db.session.commit()
    job.skipped = "\n".join(skipped) or None
    if not copies:
        job.status, job.error = PrintStatus.FAILED, _("所选档案均无法打印。")
        db.session.commit()
        return
    job.result = _zipped(copies) if job.format == PrintFormat.ZIP else _joined(copies)
    for item, _copy in copies:
        audit.record("archive_batch_printed", item, actor=user,
                     changes={"job": job.id, "archive_number": item.archive_number})
    job.status, job.finished_at = PrintStatus.DONE, utcnow()
    db.session.commit()


def _stamped_copy(item: ArchiveItem | None, user: User, overlays: Overlays) -> pikepdf.Pdf:
    """The item's copy, open and stamped; refused when the archivist may not see or print
    it now, or its content is gone."""
    if item is None or not policy.can(user, Action.VIEW, item):
        raise CopyUnavailable(_("档案不存在或无权查看"))
    data = stored_copy(item)
    if not policy.can(user, Action.PRINT, item):
        raise CopyUnavailable(_("无权打印"))
    pdf = pikepdf.open(BytesIO(data))
    stamp(pdf, overlays(item.confidentiality))
    return pdf


def _saved(pdf: pikepdf.Pdf) -> bytes:
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def _joined(copies: list) -> bytes:
    """One PDF of every copy's pages, in order."""
    with pikepdf.new() as joined:
        for _item, pdf in copies:
            joined.pages.extend(pdf.pages)
        data = _saved(joined)
    for _item, pdf in copies:
        pdf.close()
    return data


def _zipped(copies: list) -> bytes:
    """A zip of one PDF per item, named by its 档号."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, pdf in copies:
            archive.writestr(f"{item.archive_number}.pdf", _saved(pdf))
            pdf.close()
    return out.getvalue()


def print_taken(job: ArchivePrintJob, user: User) -> Printed:
    """The job's file for its archivist, audited in the caller's transaction."""
    extension = "zip" if job.format == PrintFormat.ZIP else "pdf"
    printed = Printed(job.result, _("档案批量打印-%(id)d.%(ext)s", id=job.id, ext=extension),
                      f"archive-print-{job.id}.{extension}")
    audit.record("archive_print_taken", job, actor=user,
                 changes={"items": job.total, "format": job.format.value})
    return printed
