"""A department's Excel import pages (/<department>/imports/): upload and dry run, start,
progress, the reconciled summary, failed rows, templates and the batches list's export, the
same for every department that registers importers. A department's route module adds them to
its blueprint with `add_pages` and its `Desk`; they offer only that department's ledgers. The
rules live in app/policy/imports.py and app/services/imports/; templates in _imports/."""

from dataclasses import dataclass

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, SelectField

from app import jobs, policy
from app.blueprints._kit import send_export, send_table, send_xlsx
from app.blueprints._once import once
from app.extensions import db
from app.forms import options
from app.htmx import redirect, render
from app.models import DeptCode, DuplicateRule, ImportBatch, ImportStatus
from app.parsing import to_whole
from app.policy import Action
from app.policy import imports as import_policy
from app.services.imports import batches, files, registry
from app.services.imports.base import Outcome
from app.services.imports.xlsx import BadFile

LIST = "_imports/list.html"
DETAIL = "_imports/detail.html"
STATUS = "_imports/_status.html"


@dataclass(frozen=True)
class Desk:
    """A department's import pages: its blueprint (endpoints <blueprint>.import_*, home
    <blueprint>.home, named `home_label` in the breadcrumbs) and the department whose
    ledgers they import."""

    blueprint: str
    department: DeptCode
    home_label: str

    @property
    def area(self) -> str:
        """The policy area of these pages (policy.imports.desk)."""
        return import_policy.desk(self.department)

    def endpoint(self, name: str) -> str:
        return f"{self.blueprint}.{name}"

    def ledgers(self) -> dict[str, str]:
        """The department's importable ledgers and their names."""
        return registry.labels(self.department)


class UploadForm(FlaskForm):
    """The upload (field names are a stable contract: ledger, file, duplicate_rule); the
    ledger's choices are the page's department's ledgers."""

    ledger = SelectField(_l("导入到"), choices=[])
    file = FileField(_l("Excel 文件（.xlsx、.xls、.ods）"), validators=[
        FileRequired(_l("请选择要导入的 Excel 文件。")),
        FileAllowed(["xlsx", "xls", "ods"],
                    _l("请上传 .xlsx 格式的 Excel 文件，或 .xls、.ods 表格。"))])
    duplicate_rule = RadioField(_l("遇到已有记录"), choices=options(DuplicateRule.choices()),
                                default=DuplicateRule.SKIP.value)


class StartForm(FlaskForm):
    duplicate_rule = RadioField(_l("遇到已有记录"), choices=options(DuplicateRule.choices()),
                                default=DuplicateRule.SKIP.value)


def _rule(batch: ImportBatch) -> DuplicateRule:
    """The duplicate rule the dry run is shown under: ?rule= when it is one, else the batch's."""
    try:
        return DuplicateRule(request.args.get("rule") or batch.duplicate_rule)
    except ValueError:  # a hand-made or stale link: shown under the batch's own rule
        return batch.duplicate_rule


def _enqueue(batch: ImportBatch) -> None:
    """Hands the job to the queue; if the queue cannot take it, the batch can be started again."""
    try:
        jobs.import_batch(batch.id)
    except Exception:  # noqa: BLE001 (any queue failure: Redis down, file locked)
        db.session.rollback()
        batches.unqueue(batch)
        db.session.commit()
        flash(_("后台任务队列暂时不可用，导入尚未开始，请稍后重试。"), "danger")


class Pages:
    """The views of one department's import pages (thin: a form, a service call, a page)."""

    def __init__(self, desk: Desk):
        self.desk = desk

    def _upload_form(self) -> UploadForm:
        form = UploadForm()
        form.ledger.choices = options(self.desk.ledgers().items())
        return form

    def _list_page(self, form: UploadForm, status: int = 200):
        desk = self.desk
        return render(LIST, status=status, form=form, desk=desk, ledgers=desk.ledgers(),
                      importers=registry.importers(desk.department),
                      recent=batches.recent(current_user, list(desk.ledgers())),
                      can_upload=policy.can(current_user, Action.CREATE, desk.area))

    def _batch(self, batch_id: int) -> ImportBatch:
        """The batch, if the user may see it; 404 for another department's batch (its own
        department's pages show it)."""
        batch = policy.load(ImportBatch, batch_id, Action.VIEW)
        if registry.department_of(batch.ledger) != self.desk.department:
            abort(404)
        return batch

    def index(self):
        """The upload form and the recent batches of the department's ledgers; the
        department's staff and managers, and the GM (who reads, without the form)."""
        policy.require(Action.VIEW, self.desk.area)
        return self._list_page(self._upload_form())

    def upload(self):
        """Checks an uploaded file (dry run) and shows every row's result; writes no record.
        Refuses another department's ledger and a missing, wrong-type, malformed or
        header-less file with a message on the form."""
        policy.require(Action.CREATE, self.desk.area)
        form = self._upload_form()
        if not form.validate_on_submit():
            return self._list_page(form, 422)
        upload = form.file.data
        try:
            batch = batches.check_upload(current_user, form.ledger.data, upload.filename,
                                         upload.read(), DuplicateRule(form.duplicate_rule.data))
        except BadFile as error:
            db.session.rollback()
            form.file.errors = [error.message]
            return self._list_page(form, 422)
        db.session.commit()
        return self._detail_page(batch)

    def _detail_page(self, batch: ImportBatch):
        rule = _rule(batch)
        show = request.args.get("show") or None
        page = to_whole(request.args.get("page", ""), 1, 10**6) or 1  # a stale page: the first
        checked = batch.status == ImportStatus.CHECKED
        return render(DETAIL, "preview", batch=batches.load_page(batch), rule=rule, show=show,
                      Outcome=Outcome, desk=self.desk, ledgers=self.desk.ledgers(),
                      preview=batches.preview(batch, rule, show, page) if checked else None,
                      form=StartForm(duplicate_rule=rule.value),
                      can_start=checked and batch.created_by_id == current_user.id)

    def export(self):
        """The batches the list shows (the user's own; a manager's department's; the GM's
        all), all of them, as a workbook; audited like every export."""
        policy.require(Action.EXPORT, self.desk.area)
        ledgers = self.desk.ledgers()
        found = db.session.scalars(batches.visible(current_user, list(ledgers))
                                   .execution_options(yield_per=500))
        headers, rows = files.batch_table(found, ledgers)
        return send_table(_("导入批次"), headers, rows, "import-batches.xlsx",
                          object_type="ImportBatch")

    def detail(self, batch_id: int):
        """A batch: its dry run until started, then the progress and the summary; 404 outside
        the uploader, their manager and the GM."""
        return self._detail_page(self._batch(batch_id))

    def start(self, batch_id: int):
        """Confirms a dry run: queues the import job under the chosen duplicate rule; only the
        uploader may start it (403 for their manager and the GM), once."""
        batch = self._batch(batch_id)
        form = StartForm()
        if not form.validate_on_submit():
            abort(400)
        detail = url_for(self.desk.endpoint("import_detail"), batch_id=batch.id)
        try:
            batches.start(batch, DuplicateRule(form.duplicate_rule.data), current_user)
        except batches.NotAllowed:
            if batch.created_by_id != current_user.id:
                policy.deny(403, batch, Action.SUBMIT)
            flash(_("该批次已开始导入。"), "info")
            return redirect(detail)
        db.session.commit()
        _enqueue(batch)
        return redirect(detail)

    def status(self, batch_id: int):
        """The progress fragment (polled every second while the job runs), then the summary."""
        return render(STATUS, batch=self._batch(batch_id), desk=self.desk,
                      ledgers=self.desk.ledgers())

    def failed(self, batch_id: int):
        """The rows the job could not write, as uploaded, with the reason; audited as an
        export."""
        batch = self._batch(batch_id)
        if batch.failed_rows is None:
            abort(404)
        return send_export(batch.failed_rows, _("导入失败的行-%(id)d.xlsx", id=batch.id),
                           f"import-{batch.id}-failed.xlsx",
                           label=f"#{batch.id} {batch.filename}", record=batch,
                           changes={"failed_rows": batch.failed})

    def template(self, ledger: str):
        """The ledger's import template (header row with the seeds' column names), for who
        may import it; 404 for a ledger the department does not import."""
        policy.require(Action.CREATE, self.desk.area)
        try:
            importer = registry.importer_for(ledger, self.desk.department)
        except BadFile:
            abort(404)
        return send_xlsx(files.template(importer), _("%(ledger)s导入模板.xlsx",
                                                      ledger=self.desk.ledgers()[ledger]),
                         f"{ledger}-template.xlsx")


def add_pages(bp: Blueprint, desk: Desk) -> None:
    """Adds the import pages to the department's blueprint, under /imports/."""
    pages = Pages(desk)
    for rule, endpoint, view, methods in (
            ("/imports/", "import_list", pages.index, ["GET"]),
            ("/imports/", "import_upload", pages.upload, ["POST"]),
            ("/imports/export.xlsx", "import_export", pages.export, ["GET"]),
            ("/imports/<int:batch_id>", "import_detail", pages.detail, ["GET"]),
            ("/imports/<int:batch_id>/start", "import_start", once(pages.start), ["POST"]),
            ("/imports/<int:batch_id>/status", "import_status", pages.status, ["GET"]),
            ("/imports/<int:batch_id>/failed.xlsx", "import_failed", pages.failed, ["GET"]),
            ("/imports/template/<ledger>.xlsx", "import_template", pages.template, ["GET"])):
        bp.add_url_rule(rule, endpoint, login_required(view), methods=methods)
