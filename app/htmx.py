"""htmx helpers: a fragment for htmx requests, the whole page otherwise."""

import json

from flask import Response, make_response, render_template, request
from flask import redirect as flask_redirect
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_fragment() -> bool:
    """An htmx request for part of a page: not a boosted navigation, not a history restore."""
    return (is_htmx() and request.headers.get("HX-Boosted") != "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def render(template: str, block: str | None = None, *, status: int = 200, **context) -> Response:
    """Renders `block` of `template` alone for htmx fragment requests, the full page otherwise."""
    if block and wants_fragment():
        response = make_response(render_block(template, block, **context), status)
    else:
        response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def trigger(response: Response, event: str, detail=None) -> Response:
    """Adds an HX-Trigger event so lists and counters on the page refresh themselves."""
    existing = json.loads(response.headers.get("HX-Trigger", "{}") or "{}")
    existing[event] = detail if detail is not None else True
    response.headers["HX-Trigger"] = json.dumps(existing, ensure_ascii=False)
    return response


def redirect(url: str) -> Response:
    """After a change: htmx navigates with HX-Redirect, a plain browser follows a 303."""
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return flask_redirect(url, 303)
