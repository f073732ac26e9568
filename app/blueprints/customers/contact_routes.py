"""A customer's contacts (联系人), shown and managed in a section of the customer's page.

Rights follow the customer: the section needs its full profile, changes need the right to edit
it, a phone in clear the right to reveal its personal data. htmx requests get the section back
(the forms open inside it); a plain browser is sent back to the customer's page.
"""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import policy
from app.blueprints._kit import form_status, show_stale_edit
from app.blueprints._once import once
from app.blueprints.customers import bp
from app.blueprints.customers.contact_forms import ContactForm, ContactRevealForm
from app.extensions import db
from app.htmx import redirect, render, trigger, wants_fragment
from app.models import Contact, Customer
from app.policy import Action
from app.services.core.edits import stamp
from app.services.core.errors import EditConflict
from app.services.core.loading import load_related
from app.services.customers import contacts as contact_service

PAGE = "customers/customer/contacts.html"


def _contact(customer_id: int, contact_id: int, action: Action) -> Contact:
    """The contact for `action`, 404 unless it belongs to the customer in the URL."""
    parent = db.session.scalar(select(Contact.customer_id).where(Contact.id == contact_id))
    if parent != customer_id:
        abort(404)
    return policy.load(Contact, contact_id, action)


def _section(customer: Customer, *, status: int = 200, form=None, editing=None):
    """The contacts section (alone for htmx, in its page otherwise), a form open in it."""
    load_related([customer])  # read again if a commit expired it: the section shows it
    return render(PAGE, "section", status=status, customer=customer,
                  contacts=contact_service.contacts_of(customer.id), form=form, editing=editing,
                  masked_contact=contact_service.masked)


def _done(customer: Customer, message: str):
    """After a change: the refreshed section for htmx, back to the customer's page otherwise."""
    db.session.commit()
    if wants_fragment():
        return trigger(_section(customer), "contacts-changed")
    flash(message, "success")
    return redirect(url_for("customers.customer_detail", customer_id=customer.id) + "#contacts")


@bp.get("/<int:customer_id>/contacts")
@login_required
def contact_list(customer_id: int):
    """The contacts section of a customer whose full profile the user may see; 404/403 else."""
    customer = policy.load(Customer, customer_id, Action.VIEW)
    return _section(customer)


@bp.route("/<int:customer_id>/contacts/new", methods=["GET", "POST"])
@login_required
@once
def contact_new(customer_id: int):
    """Adds a contact to a customer the user may edit; the first one becomes primary."""
    customer = policy.load(Customer, customer_id, Action.EDIT)
    form = ContactForm()
    if form.validate_on_submit():
        contact_service.create_contact(customer, form.data_object(), current_user)
        return _done(customer, _("联系人已添加。"))
    return _section(customer, status=form_status(), form=form)


@bp.route("/<int:customer_id>/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def contact_edit(customer_id: int, contact_id: int):
    """Edits a contact; blank phones stay unchanged; a stale form is refused with a notice."""
    contact = _contact(customer_id, contact_id, Action.EDIT)
    form = ContactForm(obj=contact)
    if request.method == "GET":
        form.phone.data = form.mobile.data = None  # personal data is never sent in clear
        form.stamp.data = stamp(contact)
    if form.validate_on_submit():
        try:
            contact_service.update_contact(contact, form.data_object(), form.stamp.data or "",
                                           current_user)
        except EditConflict:
            db.session.rollback()
            contact = _contact(customer_id, contact_id, Action.EDIT)
            show_stale_edit(form, "stamp", stamp(contact), _(
                "在您编辑期间，该联系人已被他人修改。您的修改尚未保存，请核对当前内容后再次提交。"))
        else:
            return _done(contact.customer, _("联系人已保存。"))
    return _section(contact.customer, status=form_status(), form=form, editing=contact)


@bp.post("/<int:customer_id>/contacts/<int:contact_id>/delete")
@login_required
def contact_delete(customer_id: int, contact_id: int):
    """Deletes a contact (the page asks for confirmation); a primary passes to the next one."""
    contact = _contact(customer_id, contact_id, Action.EDIT)
    customer = contact.customer
    contact_service.delete_contact(contact, current_user)
    return _done(customer, _("联系人已删除。"))


@bp.post("/<int:customer_id>/contacts/<int:contact_id>/primary")
@login_required
def contact_primary(customer_id: int, contact_id: int):
    """Makes a contact the customer's only primary contact."""
    contact = _contact(customer_id, contact_id, Action.EDIT)
    contact_service.make_primary(contact, current_user)
    return _done(contact.customer, _("已设为主要联系人。"))


@bp.post("/<int:customer_id>/contacts/<int:contact_id>/reveal")
@login_required
def contact_reveal(customer_id: int, contact_id: int):
    """Shows one phone of a contact in clear, with a stated reason; the view is audited."""
    contact = _contact(customer_id, contact_id, Action.REVEAL_PII)
    form = ContactRevealForm()
    if form.is_submitted() and not form.field.validate(form):
        abort(422)
    value = None
    if form.validate_on_submit():
        value = contact_service.reveal(contact, form.field.data, form.reason.data, current_user)
        db.session.commit()
        load_related([contact], joinedload(Contact.customer))  # read again after the commit
    return render("customers/customer/_contact_pii.html", status=200 if value is not None else 422,
                  contact=contact, field=form.field.data, reveal_form=form, value=value,
                  masked_contact=contact_service.masked)
