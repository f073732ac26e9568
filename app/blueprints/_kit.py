"""What every department's views do the same way: send a download (an audited Excel export, a
printed PDF), query a list within the user's data scope, show a refusal or a stale edit on the
form that asked, and report a one-click action. The rules stay in app/policy and app/services;
these only carry them out."""

import re
from collections.abc import Callable
from urllib.parse import quote

from flask import Response, flash, request
from flask_login import current_user
from sqlalchemy import Select, select

from app import policy
from app.extensions import db
from app.policy import Action
from app.services.core import audit
from app.services.core.errors import Refused
from app.services.core.exports import write_xlsx
from app.timeutil import local_today

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Characters no file system takes in a name (Windows' list), and control characters.
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')
# Query parameters that page or sort a list rather than filter it.
_NOT_FILTERS = frozenset({"sort", "dir", "after", "before", "page", "export"})
FILTER_CHARS = 40
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes, mimetype: str, filename: str, ascii_filename: str) -> Response:
    """A download named in Chinese (RFC 5987 filename*, UTF-8) with a plain ASCII fallback for
    older clients; never cached, since it holds what only this user may see."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_UNSAFE.sub("_", ascii_filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}")
    response.headers["Cache-Control"] = "no-store"
    return response


def send_xlsx(data: bytes, filename: str, ascii_filename: str) -> Response:
    """A workbook as a download, as it is (not audited: a template, for instance)."""
    return attachment(data, XLSX, filename, ascii_filename)


def send_pdf(printed) -> Response:
    """A printed document (services.core.pdf.Printed) as a download. The print service has
    audited it in the session: committed first, so no print leaves without its trace."""
    db.session.commit()
    return attachment(printed.data, "application/pdf", printed.filename, printed.ascii_filename)


def export_changes(*, with_path: bool = False) -> dict:
    """What an export's audit event keeps of the request: its query string (the list's filters
    as typed, capped), and its path where one object type has several exports (visits)."""
    changes = {"path": request.path} if with_path else {}
    changes["query"] = request.query_string.decode()[:500]
    return changes


def filter_words(form=None, args=None) -> list[str]:
    """The list's filters (`args`, the request's query unless given) as the file name shows
    them: what was typed, a choice by its label (`form`'s select fields), in the query's
    order; bare ids (owner=5) say nothing and are left out."""
    words = []
    for key, value in (request.args if args is None else args).items(multi=True):
        value = value.strip()
        if key in _NOT_FILTERS or not value:
            continue
        field = form[key] if form is not None and key in form else None
        label = _choice_label(field, value) if field is not None else None
        if label or not value.isdigit():
            words.append(label or value)
    return words


def _choice_label(field, value: str) -> str | None:
    """The label of a select field's choice `value`; None for other fields."""
    if not hasattr(field, "iter_choices"):
        return None
    for choice in field.iter_choices():
        if str(choice[0]) == value:
            return str(choice[1])
    return None


def export_names(filename: str, ascii_filename: str, form=None,
                 args=None) -> tuple[str, str]:
    """(name, ASCII fallback) of an export: the list, today's date and the filters, e.g.
    客户档案-2026-12-06-华信.xlsx and customers-2026-12-06.xlsx."""
    stem, dot, extension = filename.rpartition(".")
    ascii_stem, _dot, ascii_extension = ascii_filename.rpartition(".")
    day = local_today().isoformat()
    words = filter_words(form, args)
    named = _NOT_IN_NAMES.sub("_", "-".join(words))[:FILTER_CHARS].strip("_-")
    name = "-".join(part for part in (stem if dot else filename, day, named) if part)
    plain = "-".join(filter(None, (_UNSAFE.sub("_", word).strip("_") for word in words)))
    ascii_name = "-".join(part for part in (ascii_stem or "export", day,
                                            plain[:FILTER_CHARS]) if part)
    return f"{name}.{extension if dot else 'xlsx'}", f"{ascii_name}.{ascii_extension or 'xlsx'}"


def send_export(data: bytes, filename: str, ascii_filename: str, *, label: str,
                object_type: str | None = None, record=None,
                changes: dict | None = None, form=None) -> Response:
    """A workbook as a download named with the date and the filters (export_names), audited
    as an export of `record` (or of `object_type` for a list) named `label`, with `changes`
    (export_changes() unless given). The caller has checked the user may export it; the
    event is committed before anything is sent."""
    audit.record("export", record, object_type=object_type, object_label=label,
                 changes=export_changes() if changes is None else changes)
    db.session.commit()
    return send_xlsx(data, *export_names(filename, ascii_filename, form))


def send_table(title: str, headers, rows, ascii_filename: str, *, object_type: str,
               changes: dict | None = None, totals=(), form=None) -> Response:
    """A table as a one-sheet workbook: `title` names the sheet, the file and the audit event;
    `totals` names the columns summed in a 合计 row (where the page shows one); `form` gives
    the filters' labels for the file name."""
    return send_export(write_xlsx(title, headers, rows, totals=totals), f"{title}.xlsx",
                       ascii_filename, label=title, object_type=object_type, changes=changes,
                       form=form)


def in_scope(model, action: Action = Action.VIEW) -> Select:
    """The query of the `model` rows the user may `action` (their data scope and clearance)."""
    return policy.scope(select(model), current_user, model, action)


def scoped_list(model, action: Action = Action.VIEW) -> Select:
    """A list page's query: 403 for who may not `action` such records at all, else in_scope."""
    policy.require(action, model)
    return in_scope(model, action)


def deferred_list_scope(model, action: Action = Action.VIEW) -> Callable[[], Select]:
    """scoped_list for a list whose statement is built once per viewer and kept
    (services.core.pagination.kept_rows_page): 403 now for who may not `action` such records
    at all, else what builds the scoped query when the statement is first built."""
    policy.require(action, model)
    return lambda: in_scope(model, action)


def form_status() -> int:
    """A form page's status: 200 when it is first shown, 422 when a posted form comes back
    (invalid, refused or stale), so that htmx and tests can tell it was not saved."""
    return 422 if request.method == "POST" else 200


def show_refusal(form, refusal: Refused) -> None:
    """Puts a service's refusal on the form: on the field it names, above the form when it
    names none (or a field this form does not have)."""
    if refusal.field and refusal.field in form:
        form[refusal.field].errors = [*form[refusal.field].errors, refusal.message]
    else:
        form.form_errors.append(refusal.message)


def show_stale_edit(form, token_field: str, token: str, message: str) -> None:
    """After EditConflict, for a form that says so above itself: the form takes the record's
    current token, so that sending it again after checking saves over the other change, and
    tells why nothing was saved. What the user typed stays in the form."""
    form[token_field].data = token
    form.form_errors.append(message)


def flash_outcome(action: Callable[[], object], done: str, refusal: type[Refused], *,
                  refused_as: str = "danger") -> None:
    """A one-click action (submit, withdraw, cancel) after which its page is shown again:
    committed with the `done` notice, or refused (`refusal`) and rolled back with its message."""
    try:
        action()
    except refusal as error:
        db.session.rollback()
        flash(error.message, refused_as)
    else:
        db.session.commit()
        flash(done, "success")
