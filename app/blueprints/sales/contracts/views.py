"""What the contract form pages share: the posted rows and the form page with its totals."""

from flask import request

from app.blueprints.sales.contracts.rows import rearranged
from app.htmx import render
from app.services.sales.contracts.history import load_form


def posted(command: str):
    """The form data to build the form from: the rows rearranged as `command` asks."""
    return rearranged(request.form, command) if request.method == "POST" else None


def page(template: str, block: str, form, status: int = 200, **context):
    """The form page (or, for htmx, just the form) with its running totals."""
    load_form(context.get("contract"), form.customer)
    total, terms_total = form.preview()
    return render(template, block, status=status, form=form, total=total,
                  terms_total=terms_total, **context)
