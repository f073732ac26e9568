"""The check scheme (/archive/checks/scheme): the current version's rows (check item,
dimension, blocking, on or off) and the earlier versions; saving makes a new version."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import form_status, show_refusal
from app.blueprints._once import once
from app.blueprints.archive import bp
from app.blueprints.archive.checks.forms import SchemeForm
from app.extensions import db
from app.htmx import redirect, render
from app.models.archive import ArchiveCheckScheme, CheckDimension
from app.policy import Action
from app.services.archive.checks import scheme


@bp.route("/checks/scheme", methods=["GET", "POST"])
@login_required
@once
def check_scheme():
    """The scheme and its versions (readers); a new version from the archivist or the GM,
    refused when it leaves nothing to check."""
    policy.require(Action.VIEW, ArchiveCheckScheme)
    current = scheme.current()
    db.session.commit()  # the first version, made from the defaults on first use
    form, chosen = SchemeForm(), None
    if request.method == "POST":
        policy.require(Action.MANAGE, ArchiveCheckScheme)
        chosen = form.settings(request.form) if form.validate_on_submit() else None
        if chosen is not None and (saved := _save(form, chosen)):
            flash(_("检测方案已保存为第 %(n)d 版。", n=saved.version), "success")
            return redirect(url_for("archive.check_scheme"))
    return render("archive/checks/scheme.html", status=form_status(), form=form,
                  current=current, settings=chosen or scheme.settings(current),
                  versions=scheme.versions(), dimensions=CheckDimension,
                  can_manage=policy.can(current_user, Action.MANAGE, ArchiveCheckScheme))


def _save(form: SchemeForm, chosen: list[scheme.Setting]) -> ArchiveCheckScheme | None:
    """The new version, committed; None with the refusal on the form."""
    try:
        saved = scheme.save(chosen, form.note.data, current_user)
    except scheme.SchemeRefused as refusal:
        db.session.rollback()
        show_refusal(form, refusal)
        return None
    db.session.commit()
    return saved
