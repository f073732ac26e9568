"""The 销毁清册 (/archive/disposals/register: every destroyed item, its metadata and hashes,
the list that destroyed it) and its export, and a finished list's destruction certificate."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import scoped_list, send_pdf, send_table
from app.blueprints.archive import bp
from app.errors import render_error
from app.htmx import render
from app.models.archive import DisposalList, DisposalStatus
from app.policy import Action
from app.services.archive.disposals import lists
from app.services.archive.disposals.certificate import certificate


@bp.get("/disposals/register")
@login_required
def disposal_register():
    """Every item destroyed by the lists the user may see, the latest first."""
    scoped = scoped_list(DisposalList)
    listing = lists.register_listing(scoped, request.args.get("after") or None,
                                     request.args.get("before") or None)
    return render("archive/disposals/register.html", "results", listing=listing)


@bp.get("/disposals/register.xlsx")
@login_required
def disposal_register_export():
    """The whole 销毁清册 the user may see, with each item's hashes; audited."""
    headers, rows = lists.register_table(scoped_list(DisposalList, Action.EXPORT))
    return send_table(_("档案销毁清册"), headers, rows, "archive-destroyed.xlsx",
                      object_type="DisposalList")


@bp.get("/disposals/<int:disposal_id>/certificate.pdf")
@login_required
def disposal_certificate(disposal_id: int):
    """The destruction certificate of a finished list (档案销毁证明); audited. 409 before
    the list has finished."""
    disposal = policy.load(DisposalList, disposal_id, Action.PRINT)
    if disposal.status != DisposalStatus.DONE:
        return render_error(409, _("销毁执行完毕后才能打印销毁证明。"))
    return send_pdf(certificate(lists.load_page(disposal), current_user))
