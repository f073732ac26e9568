"""在线查阅: the read-only viewer of an item lent online or as a copy, and the copy it frames.
Both ask policy at every access, so a loan past its due time opens nothing (403) whether or
not the periodic task has marked it yet; each opening is audited."""

from flask import abort
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import send_pdf
from app.blueprints.archive import bp
from app.errors import render_error
from app.extensions import db
from app.htmx import render
from app.models.archive import ArchiveItem, ArchiveLoan
from app.policy import Action
from app.services.archive.items.copies import CopyUnavailable, served_copy
from app.services.archive.loans import viewer

# The viewer page frames the copy; every other page refuses to be framed (app/web.py).
FRAMED_BY_THIS_SITE = {"X-Frame-Options": "SAMEORIGIN",
                       "Content-Security-Policy": "frame-ancestors 'self'"}


def _lent(loan_id: int, item_id: int) -> tuple[ArchiveLoan, ArchiveItem]:
    """The open loan and its item: 404 for an item the loan does not lend, 403 once the loan
    is not open (not approved, paper, or past its due time)."""
    loan = policy.load(ArchiveLoan, loan_id, Action.READ_CONTENT)
    item = viewer.lent_item(loan, item_id)
    if item is None:
        abort(404)
    return loan, item


@bp.get("/loans/<int:loan_id>/items/<int:item_id>/view")
@login_required
def loan_view(loan_id: int, item_id: int):
    """The item's frozen copy under the reader's watermark; audited (committed once the page
    is rendered, so the page reads the loan as loaded)."""
    loan, item = _lent(loan_id, item_id)
    mark = viewer.record_view(loan, item, current_user)
    page = render("archive/loans/viewer.html", loan=loan, item=item, watermark=mark,
                  can_print=policy.can(current_user, Action.PRINT, item))
    db.session.commit()
    return page


@bp.get("/loans/<int:loan_id>/items/<int:item_id>/copy.pdf")
@login_required
def loan_copy(loan_id: int, item_id: int):
    """The copy the viewer frames: the catalogue's watermarked copy (its rules asked again),
    inline, and frameable by this site's pages only; audited as a view of the copy."""
    _loan, item = _lent(loan_id, item_id)
    item = policy.load(ArchiveItem, item.id, Action.READ_CONTENT)
    try:
        printed = served_copy(item, current_user, download=False)
    except CopyUnavailable as refusal:
        db.session.rollback()
        return render_error(404, refusal.message)
    response = send_pdf(printed)
    disposition = response.headers["Content-Disposition"]
    response.headers["Content-Disposition"] = disposition.replace("attachment", "inline", 1)
    response.headers.update(FRAMED_BY_THIS_SITE)
    return response
