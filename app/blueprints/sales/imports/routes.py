"""Excel imports (/sales/imports/): upload, dry run, start, progress, failed rows, templates,
the batches list's export. Thin views: the rules live in app/policy (ImportRules) and
app/services/imports/."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import jobs, policy
from app.blueprints._kit import send_export, send_table, send_xlsx
from app.blueprints._once import once
from app.blueprints.sales import bp
from app.blueprints.sales.imports.forms import StartForm, UploadForm
from app.extensions import db
from app.htmx import redirect, render
from app.models import DuplicateRule, ImportBatch, ImportStatus
from app.navigation import sales_section
from app.parsing import to_whole
from app.policy import Action
from app.services.imports import batches, files, registry
from app.services.imports.base import Outcome
from app.services.imports.xlsx import BadFile

LIST = "sales/import/list.html"
DETAIL = "sales/import/detail.html"
STATUS = "sales/import/_status.html"

sales_section(80, _l("Excel 导入"), "sales.import_list", ImportBatch,
              _l("从 Excel 批量导入客户档案、销售合同和销售台账"))


def _list_page(form: UploadForm, status: int = 200):
    return render(LIST, status=status, form=form, recent=batches.recent(current_user),
                  ledgers=registry.labels(), importers=registry.importers())


@bp.get("/imports/")
@login_required
def import_list():
    """The upload form and the user's recent batches; sales staff and managers only."""
    policy.require(Action.VIEW, ImportBatch)
    return _list_page(UploadForm())


@bp.post("/imports/")
@login_required
def import_upload():
    """Checks an uploaded file (dry run) and shows every row's result; writes no record.
    Refuses a missing, wrong-type, malformed or header-less file with a message on the form."""
    policy.require(Action.CREATE, ImportBatch)
    form = UploadForm()
    if not form.validate_on_submit():
        return _list_page(form, 422)
    upload = form.file.data
    try:
        batch = batches.check_upload(current_user, form.ledger.data, upload.filename,
                                     upload.read(), DuplicateRule(form.duplicate_rule.data))
    except BadFile as error:
        db.session.rollback()
        form.file.errors = [error.message]
        return _list_page(form, 422)
    db.session.commit()
    return _detail_page(batch)


def _rule(batch: ImportBatch) -> DuplicateRule:
    """The duplicate rule the dry run is shown under: ?rule= when it is one, else the batch's."""
    try:
        return DuplicateRule(request.args.get("rule") or batch.duplicate_rule)
    except ValueError:  # a hand-made or stale link: shown under the batch's own rule
        return batch.duplicate_rule


def _detail_page(batch: ImportBatch):
    rule = _rule(batch)
    show = request.args.get("show") or None
    page = to_whole(request.args.get("page", ""), 1, 10**6) or 1  # a stale page: the first
    checked = batch.status == ImportStatus.CHECKED
    return render(DETAIL, "preview", batch=batches.load_page(batch), rule=rule, show=show,
                  Outcome=Outcome,
                  preview=batches.preview(batch, rule, show, page) if checked else None,
                  form=StartForm(duplicate_rule=rule.value), ledgers=registry.labels(),
                  can_start=checked and batch.created_by_id == current_user.id)


@bp.get("/imports/export.xlsx")
@login_required
def import_export():
    """The batches the list shows (the user's own; a manager's department's), all of them, as
    a workbook; audited like every export."""
    policy.require(Action.EXPORT, ImportBatch)
    found = db.session.scalars(batches.visible(current_user).execution_options(yield_per=500))
    headers, rows = files.batch_table(found, registry.labels())
    return send_table(_("导入批次"), headers, rows, "import-batches.xlsx",
                      object_type="ImportBatch")


@bp.get("/imports/<int:batch_id>")
@login_required
def import_detail(batch_id: int):
    """A batch: its dry run until started, then the progress and the summary; 404 outside
    the uploader and their manager."""
    return _detail_page(policy.load(ImportBatch, batch_id, Action.VIEW))


@bp.post("/imports/<int:batch_id>/start")
@login_required
@once
def import_start(batch_id: int):
    """Confirms a dry run: queues the import job under the chosen duplicate rule; only the
    uploader may start it (403 for their manager), once."""
    batch = policy.load(ImportBatch, batch_id, Action.VIEW)
    form = StartForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        batches.start(batch, DuplicateRule(form.duplicate_rule.data), current_user)
    except batches.NotAllowed:
        if batch.created_by_id != current_user.id:
            policy.deny(403, batch, Action.SUBMIT)
        flash(_("该批次已开始导入。"), "info")
        return redirect(url_for("sales.import_detail", batch_id=batch.id))
    db.session.commit()
    _enqueue(batch)
    return redirect(url_for("sales.import_detail", batch_id=batch.id))


def _enqueue(batch: ImportBatch) -> None:
    """Hands the job to the queue; if the queue cannot take it, the batch can be started again."""
    try:
        jobs.import_batch(batch.id)
    except Exception:  # noqa: BLE001 (any queue failure: Redis down, file locked)
        db.session.rollback()
        batches.unqueue(batch)
        db.session.commit()
        flash(_("后台任务队列暂时不可用，导入尚未开始，请稍后重试。"), "danger")


@bp.get("/imports/<int:batch_id>/status")
@login_required
def import_status(batch_id: int):
    """The progress fragment (polled every second while the job runs), then the summary."""
    batch = policy.load(ImportBatch, batch_id, Action.VIEW)
    return render(STATUS, batch=batch, ledgers=registry.labels())


@bp.get("/imports/<int:batch_id>/failed.xlsx")
@login_required
def import_failed(batch_id: int):
    """The rows the job could not write, as uploaded, with the reason; audited as an export."""
    batch = policy.load(ImportBatch, batch_id, Action.VIEW)
    if batch.failed_rows is None:
        abort(404)
    return send_export(batch.failed_rows, _("导入失败的行-%(id)d.xlsx", id=batch.id),
                       f"import-{batch.id}-failed.xlsx", label=f"#{batch.id} {batch.filename}",
                       record=batch, changes={"failed_rows": batch.failed})


@bp.get("/imports/template/<ledger>.xlsx")
@login_required
def import_template(ledger: str):
    """The ledger's import template (header row with the seeds' column names); 404 for a
    ledger that cannot be imported."""
    policy.require(Action.VIEW, ImportBatch)
    try:
        importer = registry.importer_for(ledger)
    except BadFile:
        abort(404)
    return send_xlsx(files.template(importer), _("%(ledger)s导入模板.xlsx",
                                                  ledger=registry.labels()[ledger]),
                     f"{ledger}-template.xlsx")
