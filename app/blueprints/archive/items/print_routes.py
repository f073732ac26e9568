"""Batch printing for the archivist: the chosen items' frozen copies as one PDF or a zip, made
by a background job (its progress a self-replacing fragment), then taken from the job's page."""

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import jobs, policy
from app.blueprints._kit import attachment, in_scope
from app.blueprints._once import once
from app.blueprints.archive import bp
from app.blueprints.archive.items.forms import BatchPrintForm
from app.errors import render_error
from app.extensions import db
from app.htmx import redirect, render
from app.models.archive import ArchiveItem, ArchivePrintJob, PrintFormat, PrintStatus
from app.policy import Action
from app.services.archive.items import batch

batch.use_queue(jobs.archive_print)

JOB = "archive/items/print_job.html"
MIMETYPES = {PrintFormat.PDF: "application/pdf", PrintFormat.ZIP: "application/zip"}


@bp.post("/items/print")
@login_required
@once
def item_print_batch():
    """Starts a batch print of the ticked items the archivist may see (the job checks each
    again); refuses none ticked or too many."""
    policy.require(Action.PRINT, ArchiveItem)
    form = BatchPrintForm()
    if not form.validate_on_submit():
        flash(_("请选择打印方式后重试。"), "danger")
        return redirect(url_for("archive.item_list"))
    seen = set(db.session.scalars(in_scope(ArchiveItem).where(
        ArchiveItem.id.in_(form.item_ids.data)).with_only_columns(ArchiveItem.id)))
    try:
        job = batch.request_print([i for i in form.item_ids.data if i in seen],
                                  PrintFormat(form.format.data), current_user)
    except batch.PrintRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "danger")
        return redirect(url_for("archive.item_list"))
    job_id = job.id
    db.session.commit()
    batch.enqueue(job_id)
    return redirect(url_for("archive.print_job", job_id=job_id))


@bp.get("/items/prints/<int:job_id>")
@login_required
def print_job(job_id: int):
    """A batch print's progress (polled while it runs) and, once done, its file; the
    archivist's own jobs only."""
    job = policy.load(ArchivePrintJob, job_id, Action.VIEW)
    return render(JOB, "status", job=job)


@bp.get("/items/prints/<int:job_id>/file")
@login_required
def print_file(job_id: int):
    """The finished batch's file (PDF or zip); taking it is audited."""
    job = policy.load(ArchivePrintJob, job_id, Action.VIEW)
    if job.status != PrintStatus.DONE:
        return render_error(404, _("打印任务尚未完成。"))
    printed = batch.print_taken(job, current_user)
    db.session.commit()
    return attachment(printed.data, MIMETYPES[job.format], printed.filename,
                      printed.ascii_filename)
