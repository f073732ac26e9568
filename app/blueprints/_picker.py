"""What the pickers' pages share (_macros/picker.html): the options fragment a search answers
with, and the choice a form receives — an id from the picker, or a number typed by hand where
the browser runs no script. Either way the view then checks the choice against the user's
scope as before; nothing the client sends is trusted."""

import re
from collections.abc import Callable

from flask import request
from flask_login import current_user
from sqlalchemy import select

from app import policy
from app.htmx import render
from app.parsing import to_id
from app.policy import Action
from app.services.customers.picker import Found, numbered

_FIELD = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")


def search_text() -> str:
    """What was typed (?q=), capped."""
    return request.args.get("q", "")[:100]


def options(found: Found, option: Callable[[object], tuple], empty: str):
    """The options fragment: (value, label, detail) of each row found, the hint that more match,
    `empty` when none does. Option ids start with the field's id (?field=)."""
    field = request.args.get("field", "")
    return render("_partials/picker_options.html",
                  field=field if _FIELD.fullmatch(field) else "picker",
                  options=[option(row) for row in found.rows], more=found.more, empty=empty)


def picked_id(value, model, action: Action = Action.VIEW) -> int | None:
    """The id a form's picker field holds: the id the picker put there, or the id of the record
    of the user's scope whose number was typed without the picker (None for anything else)."""
    if not isinstance(value, str) or to_id(value) is not None:
        return to_id(value)
    return numbered(policy.scope(select(model), current_user, model, action), model, value)
