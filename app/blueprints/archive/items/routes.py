"""The catalogue (归档目录) with its search, filters, sort and pages, its Excel export, and the
表5-25 销售合同归档汇总登记台账 (the catalogue filtered to contracts) with its print."""

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import policy
from app.blueprints._kit import scoped_list, send_pdf, send_table
from app.blueprints.archive import bp
from app.blueprints.archive.items.forms import BatchPrintForm, CatalogueFilterForm, filters_of
from app.htmx import render
from app.models.archive import ArchiveItem, ArchiveLocation, ArchiveState, PrintFormat
from app.navigation import archive_section
from app.policy import Action
from app.services.archive.items.exports import export_table
from app.services.archive.items.lists import (
    catalogue_listing,
    department_choices,
    kind_choices,
    retention_choices,
    retention_label,
)
from app.services.archive.items.register import printed_register, register_filters, register_rows

LIST = "archive/items/list.html"
REGISTER = "archive/items/register.html"

archive_section(10, _l("归档目录"), "archive.item_list", ArchiveItem,
                _l("全部归档件：档号、题名、保管期限、存放位置、状态与借阅人；检索、导出与批量打印"))
archive_section(15, _l("销售合同归档汇总登记台账"), "archive.contract_register", ArchiveItem,
                _l("表5-25：已归档的销售合同，可打印"))


def _choices() -> dict:
    """What the filters offer (the registry's kinds, the departments, the schedule's codes)."""
    return dict(kinds=kind_choices(), departments=department_choices(),
                retentions=retention_choices(), states=ArchiveState,
                locations=ArchiveLocation, retention=retention_label)


@bp.get("/items/")
@login_required
def item_list():
    """The items in the user's scope (their department's, or all for the archivist and the
    GM, up to their clearance) with search, filters, sort and pages."""
    scoped = scoped_list(ArchiveItem)
    form = CatalogueFilterForm(request.args)
    listing = catalogue_listing(scoped, filters_of(form))
    return render(LIST, "results", form=form, listing=listing, formats=PrintFormat,
                  may_print=policy.can(current_user, Action.PRINT, ArchiveItem),
                  print_form=BatchPrintForm(), **_choices())


@bp.get("/items/export.xlsx")
@login_required
def item_export():
    """The catalogue as filtered on the page, every page and column, in the user's scope;
    audited."""
    scoped = scoped_list(ArchiveItem, Action.EXPORT)
    form = CatalogueFilterForm(request.args)
    headers, rows = export_table(scoped, filters_of(form))
    return send_table(_("归档目录"), headers, rows, "archive-catalogue.xlsx",
                      object_type="ArchiveItem", form=form)


@bp.get("/items/contracts")
@login_required
def contract_register():
    """表5-25: the filed contracts in the user's scope, with the catalogue's filters."""
    scoped = scoped_list(ArchiveItem)
    form = CatalogueFilterForm(request.args)
    listing = catalogue_listing(scoped, register_filters(filters_of(form)))
    return render(REGISTER, "results", form=form, listing=listing,
                  rows=register_rows(listing.page.rows), **_choices())


@bp.get("/items/contracts.pdf")
@login_required
def contract_register_print():
    """表5-25 as PDF: the whole filtered register in the user's scope; audited."""
    scoped = scoped_list(ArchiveItem, Action.EXPORT)
    form = CatalogueFilterForm(request.args)
    return send_pdf(printed_register(scoped, filters_of(form), current_user))
