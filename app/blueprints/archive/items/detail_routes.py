"""An item's page (档号, state, metadata, hashes, retention, versions, voids), 作废档号, and its
frozen copy (copy.pdf: read inline with READ_CONTENT, taken with ?download=1 and PRINT)."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import flash_outcome, send_pdf
from app.blueprints._once import once
from app.blueprints.archive import bp
from app.blueprints.archive.items.forms import VoidForm
from app.errors import render_error
from app.extensions import db
from app.htmx import redirect, render
from app.models.archive import ArchiveItem
from app.policy import Action
from app.services.archive.items.copies import CopyUnavailable, served_copy
from app.services.archive.items.pages import item_page
from app.services.archive.numbers import NumberRefused, void_number

DETAIL = "archive/items/detail.html"


@bp.get("/items/<int:item_id>")
@login_required
def item_detail(item_id: int):
    """The item with everything the catalogue knows of it and the actions the user may take;
    404 outside the user's scope or above their clearance."""
    item = policy.load(ArchiveItem, item_id, Action.VIEW)
    page = item_page(item)
    return render(DETAIL, "content", page=page, item=item, void_form=VoidForm(),
                  may_void=policy.can(current_user, Action.MANAGE, item) and not page.voided,
                  may_read=policy.can(current_user, Action.READ_CONTENT, item),
                  may_print=policy.can(current_user, Action.PRINT, item))


@bp.post("/items/<int:item_id>/void")
@login_required
@once
def item_void(item_id: int):
    """作废档号 (the archivist): the number is never given again, the item stays; refuses a
    void without a reason or a second one."""
    item = policy.load(ArchiveItem, item_id, Action.MANAGE)
    form = VoidForm()
    if form.validate_on_submit():
        flash_outcome(lambda: void_number(item, form.reason.data, current_user),
                      _("档号已作废，作废原因已记录。"), NumberRefused)
    else:
        flash(form.reason.errors[0] if form.reason.errors else _("请检查填写的内容。"), "danger")
    return redirect(url_for("archive.item_detail", item_id=item_id))


@bp.get("/items/<int:item_id>/copy.pdf")
@login_required
def item_copy(item_id: int):
    """The frozen copy as filed, watermarked for the viewer: inline for who may read the
    content (the GM, a borrower), as a download (?download=1) for who may copy or print it
    (the archivist, a borrower with a copy loan); every view and download audited."""
    download = request.args.get("download") == "1"
    item = policy.load(ArchiveItem, item_id, Action.PRINT if download else Action.READ_CONTENT)
    try:
        printed = served_copy(item, current_user, download=download)
    except CopyUnavailable as refusal:
        db.session.rollback()
        return render_error(404, refusal.message)
    response = send_pdf(printed)
    if not download:
        disposition = response.headers["Content-Disposition"]
        response.headers["Content-Disposition"] = disposition.replace("attachment", "inline", 1)
    return response
