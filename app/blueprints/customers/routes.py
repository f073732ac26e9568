"""Customer master views: thin; rules live in app/policy.py and app/services/."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import form_status, in_scope, send_table, show_refusal
from app.blueprints._once import once
from app.blueprints.customers import bp
from app.blueprints.customers.forms import CustomerFilterForm, CustomerForm, RevealForm
from app.blueprints.customers.views import list_filters, list_page_parts
from app.extensions import db
from app.htmx import redirect, render
from app.models import (
    Customer,
    CustomerKind,
    CustomerStatus,
    CustomerType,
    Grade,
    Industry,
    Level,
    PhoneExport,
    Role,
    Source,
)
from app.parsing import arg_id
from app.policy import Action
from app.services.approvals.engine import ApprovalError
from app.services.approvals.pages import allowed
from app.services.core import pii
from app.services.core.errors import EditConflict
from app.services.customers import history as customer_history
from app.services.customers import operations as customer_service
from app.services.customers import owners as customer_owners
from app.services.customers import related
from app.services.customers.edits import save_edit
from app.services.customers.lists import customer_listing, export_table

LIST = "customers/customer/list.html"
FORM = "customers/customer/form.html"
DETAIL = "customers/customer/detail.html"


def _list_form():
    """The list's filter form, whether it is the directory, and the action policy scopes the
    list by."""
    policy.require(Action.VIEW, Customer)
    form = CustomerFilterForm(request.args)
    directory = form.view.data == "directory"
    return form, directory, Action.VIEW_CARD if directory else Action.VIEW


@bp.get("/")
@login_required
def customer_list():
    """Lists customers in the user's data scope, or the company directory of basic cards."""
    form, directory, action = _list_form()
    user = current_user._get_current_object()  # policy reads it a dozen times
    listing = customer_listing(lambda: in_scope(Customer, action), f"customers.{action}", user,
                               list_filters(form, directory))
    return render(LIST, "results", form=form, listing=listing, directory=directory,
                  owners=(customer_owners.owner_options()
                          if directory or user.role != Role.STAFF else []),
                  can_create=policy.can(user, Action.CREATE, Customer),
                  can_call_list=policy.can(user, Action.CREATE, PhoneExport),
                  **list_page_parts(user.clearance))


@bp.get("/export.xlsx")
@login_required
def customer_export():
    """The list as it is filtered on the page, all pages, masked like the page; audited."""
    form, directory, action = _list_form()
    headers, rows = export_table(in_scope(Customer, action), list_filters(form, directory),
                                 directory)
    return send_table(_("客户档案"), headers, rows, "customers.xlsx", object_type="Customer",
                      form=form)


def _owner_choices():
    if current_user.role == Role.MANAGER:
        return customer_owners.sales_owners(current_user.department_id)
    return [current_user]


def _form_data(form: CustomerForm) -> customer_service.CustomerData:
    return customer_service.CustomerData(
        name=form.name.data, kind=CustomerKind(form.kind.data),
        contact_name=form.contact_name.data, phone=form.phone.data, email=form.email.data,
        address=form.address.data, industry=Industry(form.industry.data),
        type=CustomerType(form.type.data), grade=Grade(form.grade.data),
        source=Source(form.source.data) if form.source.data else None,
        first_contact_date=form.first_contact_date.data,
        confidentiality=Level(form.confidentiality.data), id_number=form.id_number.data,
        remarks=form.remarks.data, owner_id=form.owner.data)


def _default_owner(form: CustomerForm, owner_id: int) -> None:
    """A form that does not choose an owner keeps the default one (oneself, or the current)."""
    if not form.owner.raw_data:
        form.owner.data = owner_id


def _phone_warning(form: CustomerForm, exclude_id: int | None = None) -> list[Customer]:
    """Customers the user can see in full already registered with this phone, unless the user
    confirmed it (others are never named by a phone)."""
    if not form.phone.data or form.confirm_same_phone.data:
        return []
    return customer_service.same_phone(form.phone.data, current_user, exclude_id)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@once
def customer_new():
    """Registers a customer; refuses a duplicate name, warns on a phone already registered."""
    policy.require(Action.CREATE, Customer)
    form = CustomerForm(clearance=current_user.clearance, owners=_owner_choices())
    _default_owner(form, current_user.id)
    duplicate = same_phone = None
    if form.validate_on_submit():
        same_phone = _phone_warning(form)
        if not same_phone:
            try:
                customer = customer_service.create_customer(_form_data(form), current_user)
            except customer_service.DuplicateName as error:
                duplicate = error
                form.name.errors = [_("已有同名客户，不能重复登记。")]
            except customer_service.Refused as error:
                show_refusal(form, error)
            else:
                db.session.commit()
                flash(_("客户 %(number)s 已登记。", number=customer.number), "success")
                return redirect(url_for("customers.customer_detail", customer_id=customer.id))
    return render(FORM, "form", status=form_status(), form=form, customer=None,
                  duplicate=duplicate, same_phone=same_phone)


@bp.get("/<int:customer_id>")
@login_required
def customer_detail(customer_id: int):
    """The full profile within the data scope, with what the departments keep about the
    customer (each as the user's own lists show it); the basic card otherwise; 404 above
    clearance."""
    customer = policy.load(Customer, customer_id, Action.VIEW_CARD)
    user = current_user._get_current_object()  # policy reads it a dozen times per decision
    full = policy.can(user, Action.VIEW, customer)
    review = customer_history.summary(customer) if full else None
    return render(DETAIL, "content", customer=customer, full=full, reveal_form=RevealForm(),
                  review=review, related=related.sections(customer, user) if full else [],
                  may_sign=allowed(user, Action.APPROVE, [
                      review.pending, review.change_request] if review else []))


@bp.route("/<int:customer_id>/edit", methods=["GET", "POST"])
@login_required
@once
def customer_edit(customer_id: int):
    """Edits a customer; a stale form gets a conflict message and keeps what the user typed."""
    customer = policy.load(Customer, customer_id, Action.EDIT)
    if customer.status == CustomerStatus.SUBMITTED:
        flash(_("审批中的客户不能修改；如需修改，请先撤回提交。"), "warning")
        return redirect(url_for("customers.customer_detail", customer_id=customer.id))
    owners = _owner_choices() if current_user.role == Role.MANAGER else []
    if customer.owner not in owners:
        owners.append(customer.owner)
    form = CustomerForm(obj=customer, clearance=current_user.clearance, owners=owners,
                        editing=True)
    _default_owner(form, customer.owner_id)
    if request.method == "GET":
        form.version.data = customer.version
        form.phone.data = form.id_number.data = None  # personal data is never sent in clear
    conflict = duplicate = same_phone = None
    if form.validate_on_submit():
        same_phone = _phone_warning(form, exclude_id=customer.id)
        if not same_phone:
            try:
                outcome = save_edit(customer, _form_data(form), _int(form.version.data),
                                    form.change_reason.data, current_user)
            except EditConflict:
                customer = policy.load(Customer, customer_id, Action.EDIT)
                conflict = customer
                form.version.data = customer.version
            except customer_service.DuplicateName as error:
                duplicate = error
                form.name.errors = [_("已有同名客户，不能改为该名称。")]
            except (customer_service.Refused, ApprovalError) as error:
                show_refusal(form, error)
            else:
                db.session.commit()
                flash(*_edit_message(outcome))
                return redirect(url_for("customers.customer_detail", customer_id=customer.id))
    return render(FORM, "form", status=form_status(), form=form, customer=customer,
                  conflict=conflict, duplicate=duplicate, same_phone=same_phone)


def _edit_message(outcome) -> tuple[str, str]:
    if outcome.change_request and outcome.applied:
        return _("其他修改已保存；名称等关键信息的修改已提交变更申请，待部门经理审批。"), "success"
    if outcome.change_request:
        return _("关键信息的修改已提交变更申请，待部门经理审批后生效。"), "success"
    if outcome.applied:
        return _("客户资料已保存。"), "success"
    return _("没有需要保存的修改。"), "info"


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@bp.post("/<int:customer_id>/reveal")
@login_required
def customer_reveal(customer_id: int):
    """Shows one personal value in clear, with a stated reason; the view is audited."""
    customer = policy.load(Customer, customer_id, Action.REVEAL_PII)
    form = RevealForm()
    if form.is_submitted() and not form.field.validate(form):
        abort(422)
    if not form.validate_on_submit():
        return render("customers/customer/_reveal.html", status=422, customer=customer,
                      form=form, field=form.field.data, value=None)
    value = pii.reveal(customer, form.field.data, form.reason.data, current_user)
    db.session.commit()
    return render("customers/customer/_reveal.html", customer=customer, form=form,
                  field=form.field.data, value=value)


@bp.get("/validate/<field>")
@login_required
def customer_validate(field: str):
    """Inline hints while typing: a registered name (as the basic card every department may
    see: number, name, owner) or phone (only customers the user can see in full); nothing about
    customers above the user's clearance. The server re-checks on save."""
    policy.require(Action.CREATE, Customer)
    if field not in ("name", "phone"):
        abort(404)
    value = request.args.get(field, "").strip()
    exclude = arg_id("exclude")
    found = []
    if field == "name" and value:
        match = customer_service.find_by_name(value, exclude_id=exclude)
        found = [match] if match and policy.can(current_user, Action.VIEW_CARD, match) else []
    elif field == "phone" and value:
        found = customer_service.same_phone(value, current_user, exclude_id=exclude)
    return render("customers/customer/_duplicates.html", field=field, found=found)
