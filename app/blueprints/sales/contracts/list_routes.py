"""销售合同 register (/sales/contracts/): the list, its Excel export and a contract's page.
Thin views: rules live in app/policy and app/services/contract_*.py."""

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import deferred_list_scope, scoped_list, send_table
from app.blueprints.sales import bp
from app.blueprints.sales.contracts.filters import ContractFilterForm, filters_of
from app.extensions import db
from app.htmx import render
from app.models import Contract, ContractKind, ContractStatus, Department, Level
from app.navigation import sales_section
from app.policy import Action
from app.services.approvals.pages import allowed
from app.services.core import record_marks
from app.services.core.money import rmb_upper
from app.services.sales.contracts import history as contract_history
from app.services.sales.contracts.data import data_of, plain
from app.services.sales.contracts.lists import contract_listing, export_table
from app.services.sales.contracts.operations import frozen_message, owner_choices
from app.services.sales.ledger.payments import contract_balance

LIST = "sales/contract/list.html"
DETAIL = "sales/contract/detail.html"

sales_section(20, _l("销售合同"), "sales.contract_list", Contract,
              _l("合同登记、评审与变更（表5-14～表5-19），含产品明细和付款条款"))


def _scoped():
    """The list's filter form and its policy-scoped query; 403 outside sales and the GM."""
    scoped = scoped_list(Contract)
    return ContractFilterForm(request.args), scoped


@bp.get("/contracts/")
@login_required
def contract_list():
    """Lists the contracts in the user's data scope with filters, search, sort and pages."""
    scoped = deferred_list_scope(Contract)
    form, user = ContractFilterForm(request.args), current_user._get_current_object()
    listing = contract_listing(scoped, user, filters_of(form))
    return render(LIST, "results", form=form, listing=listing,
                  kinds=ContractKind, statuses=ContractStatus, levels=Level,
                  owners=owner_choices(user), can_create=policy.can(user, Action.CREATE, Contract))


@bp.get("/contracts/export.xlsx")
@login_required
def contract_export():
    """The list as filtered on the page, every page, scoped and masked like it; audited."""
    form, scoped = _scoped()
    policy.require(Action.EXPORT, Contract)
    headers, rows = export_table(scoped, filters_of(form))
    return send_table(_("销售合同"), headers, rows, "contracts.xlsx", object_type="Contract",
                      form=form)


@bp.get("/contracts/<int:contract_id>")
@login_required
def contract_detail(contract_id: int):
    """A contract with its lines, terms, review, changes and versions; 404 outside the user's
    scope or above their clearance."""
    contract = contract_history.load_page(
        policy.load(Contract, contract_id, Action.VIEW, contract_history.PAGE_LOADS))
    user = current_user._get_current_object()  # policy reads it a dozen times per decision
    values = plain(data_of(contract))
    review = contract_history.summary(contract)
    return render(DETAIL, "content", contract=contract,
                  department=db.session.get(Department, contract.department_id),
                  lines=contract_history.line_views(values["lines"]),
                  total=contract.total_amount, amount_words=rmb_upper(contract.total_amount),
                  review=review, frozen=frozen_message(contract),
                  balance=contract_balance(contract),
                  marks=record_marks.marks("Contract", contract.id, user),
                  may_sign=allowed(user, Action.APPROVE,
                                   [review.pending, review.change_request]))
