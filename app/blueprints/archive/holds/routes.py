"""冻结 (/archive/holds/): the list and its export, placing a hold, a hold's page and its
release. Thin views: the rules live in app/policy/archive/holds.py (the archivist and the GM)
and app/services/archive/holds/; an item or customer above the user's clearance is 404."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app import policy
from app.blueprints._kit import form_status, scoped_list, send_table, show_refusal
from app.blueprints._once import once
from app.blueprints.archive import bp
from app.blueprints.archive.holds.forms import HoldFilterForm, HoldForm, ReleaseForm
from app.extensions import db
from app.forms import options
from app.htmx import redirect, render
from app.models import Customer
from app.models.archive import ArchiveHold, ArchiveItem, HoldScope
from app.navigation import archive_section
from app.parsing import arg_id
from app.policy import Action
from app.services.archive.holds import lists, operations
from app.services.archive.holds.operations import HoldRefused

archive_section(40, _l("冻结"), "archive.hold_list", ArchiveHold,
                _l("法律保全：冻结单件、客户或一类档案，冻结期间任何途径都不能销毁"))


def _filters(form: HoldFilterForm) -> lists.HoldFilters:
    value = form.checked()
    state = value["state"] if value["state"] is not None else "active"
    return lists.HoldFilters(state=state, scope=value["scope"] or "",
                             after=value["after"] or None, before=value["before"] or None)


@bp.get("/holds/")
@login_required
def hold_list():
    """The holds (active ones unless asked otherwise), latest first; the archivist and GM."""
    scoped = scoped_list(ArchiveHold)
    form = HoldFilterForm(request.args)
    return render("archive/holds/list.html", "results", form=form,
                  listing=lists.listing(scoped, _filters(form)), target_text=lists.target_text,
                  can_create=policy.can(current_user, Action.CREATE, ArchiveHold))


@bp.get("/holds/export.xlsx")
@login_required
def hold_export():
    """The holds as filtered on the page, every page; audited."""
    scoped = scoped_list(ArchiveHold, Action.EXPORT)
    form = HoldFilterForm(request.args)
    headers, rows = lists.export_table(scoped, _filters(form))
    return send_table(_("档案冻结登记"), headers, rows, "archive-holds.xlsx",
                      object_type="ArchiveHold", form=form)


def _item(form: HoldForm) -> ArchiveItem | None:
    """The item to hold: by id (404 when the user may not know it), or by 档号 as typed."""
    if form.item_id.data:
        return policy.load(ArchiveItem, form.item_id.data, Action.VIEW)
    number = form.archive_number.data
    item = db.session.scalar(select(ArchiveItem).where(ArchiveItem.archive_number == number)) \
        if number else None
    if item is None or not policy.can(current_user, Action.VIEW, item):
        raise HoldRefused(_("没有找到该档号的档案，请核对档号。"), "archive_number")
    return item


def _target(form: HoldForm) -> operations.Target:
    """What the form names, through the loaders that 404 a record above the user's clearance."""
    scope = HoldScope(form.scope.data)
    if scope == HoldScope.ITEM:
        return _item(form)
    if scope == HoldScope.CUSTOMER:
        if not form.customer_id.data:
            raise HoldRefused(_("请选择客户。"), "customer_id")
        return policy.load(Customer, form.customer_id.data, Action.VIEW_CARD)
    return form.record_type.data


def _chosen_item(form: HoldForm) -> ArchiveItem | None:
    """The item named by id (a hold asked from the catalogue: ?item_id=…), shown above the
    form; loaded as the form is shown, after any rollback of a refused post."""
    if not form.item_id.data:
        return None
    return policy.load(ArchiveItem, form.item_id.data, Action.VIEW)


@bp.route("/holds/new", methods=["GET", "POST"])
@login_required
@once
def hold_new():
    """Places a hold (the archivist and the GM) on an item, a customer's items or a kind's
    items, with its reason; 404 for an item or customer above the user's clearance; refuses
    a blank reason, a destroyed item and a target held already."""
    policy.require(Action.CREATE, ArchiveHold)
    form = HoldForm()
    form.record_type.choices = options([("", _("请选择档案类别"))], lists.kind_choices())
    if request.method == "GET":
        form.item_id.data = arg_id("item_id")
    if form.validate_on_submit():
        try:
            hold = operations.place(_target(form), form.reason.data, current_user)
        except HoldRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("已冻结：冻结期间，所涉档案不能以任何方式销毁。"), "success")
            return redirect(url_for("archive.hold_detail", hold_id=hold.id))
    return render("archive/holds/form.html", "form", status=form_status(), form=form,
                  chosen=_chosen_item(form), customer_text=_customer_text(form))


def _customer_text(form: HoldForm) -> str:
    customer = db.session.get(Customer, form.customer_id.data) if form.customer_id.data else None
    if customer is None or not policy.can(current_user, Action.VIEW_CARD, customer):
        return ""
    return f"{customer.name}（{customer.number}）"


def _detail(hold: ArchiveHold, form: ReleaseForm, status: int = 200):
    items, covered = lists.covered_items(hold, current_user)
    return render("archive/holds/detail.html", status=status, hold=lists.load_page(hold),
                  target=lists.target_text, items=items, covered=covered, form=form,
                  can_release=policy.can(current_user, Action.EDIT, hold))


@bp.get("/holds/<int:hold_id>")
@login_required
def hold_detail(hold_id: int):
    """One hold: what it names, why, who placed and released it, the items it covers."""
    return _detail(policy.load(ArchiveHold, hold_id, Action.VIEW), ReleaseForm())


@bp.post("/holds/<int:hold_id>/release")
@login_required
def hold_release(hold_id: int):
    """Releases an active hold with a reason (the archivist and the GM); the items no other
    hold covers get their state back. 403 for a released hold."""
    hold = policy.load(ArchiveHold, hold_id, Action.EDIT)
    form = ReleaseForm()
    if form.validate_on_submit():
        try:
            thawed = operations.release(hold, form.release_reason.data, current_user)
        except HoldRefused as refusal:
            db.session.rollback()
            show_refusal(form, refusal)
        else:
            db.session.commit()
            flash(_("冻结已解除，%(n)d 件档案恢复原状态。", n=thawed), "success")
            return redirect(url_for("archive.hold_detail", hold_id=hold.id))
    return _detail(hold, form, status=422)
