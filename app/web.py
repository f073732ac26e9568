"""What every page shares: template helpers, navigation, security headers."""

import os
from datetime import UTC, datetime
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from flask import Flask, g, request, url_for
from flask_babel import format_date, get_locale, get_translations
from flask_login import current_user
from jinja2 import FileSystemBytecodeCache, pass_eval_context
from markupsafe import Markup

from app import locales, policy
from app.models import Meaning, StepMode
from app.models.base import utcnow
from app.navigation import navigation_for
from app.services.approvals import badges
from app.services.approvals.engine import flow_label
from app.services.approvals.steps import current_step_name
from app.services.core import notifications
from app.services.core.labels import html_label, labels_of
from app.services.core.pii import masked

# No inline script or style anywhere (styles live in static/css), so an injected <style> or
# style attribute is refused like an injected script.
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'self'")
# Powerful browser features no page here uses.
_PERMISSIONS = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
                "midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()")


def _money(value) -> str:
    """¥1,234.56; exact Decimal formatting, nothing for no value."""
    return "" if value is None else f"¥{value:,.2f}"


def _date(value) -> str:
    """yyyy-MM-dd, the same in every language: a date as it is (Babel's formatting of a plain
    date gives the same text at 30 times the cost, ~16 µs a cell), a datetime on its day in the
    company's zone."""
    if not value:
        return ""
    return format_date(value, "yyyy-MM-dd") if isinstance(value, datetime) else value.isoformat()


def url_with(endpoint: str, args, drop=(), **overrides) -> str:
    """The URL of `endpoint` keeping the current query (`args`) minus `drop`, plus `overrides`."""
    params = {k: v for k, v in args.items() if v not in (None, "") and k not in drop}
    params.update({k: v for k, v in overrides.items() if v is not None})
    return url_for(endpoint, **params)


# (application root, endpoint, arguments) -> URL of the links every page has (stylesheets,
# scripts, the user menu): they never change while the process runs.
_FIXED_URLS: dict[tuple, str] = {}
_ID = 987654321  # stands for the id in a URL pattern (url_for checks it like any id)


def fixed_url(endpoint: str, **values) -> str:
    """url_for of a URL that is the same on every request, built once."""
    key = (request.script_root, endpoint, *values.items())
    url = _FIXED_URLS.get(key)
    if url is None:
        url = _FIXED_URLS[key] = url_for(endpoint, **values)
    return url


# (application root, endpoint, id name, arguments) -> (head, tail) of a record page's URL.
_ID_URLS: dict[tuple, tuple[str, str]] = {}


def id_url_parts(endpoint: str, name: str, **values) -> tuple[str, str]:
    """(head, tail) of `endpoint`'s URL around the id `name`, from the pattern built once: a
    list writes each row's link as head ~ id ~ tail (url_for costs ~10 µs a row)."""
    key = (request.script_root, endpoint, name, *values.items())
    parts = _ID_URLS.get(key)
    if parts is None:
        head, _, tail = url_for(endpoint, **{name: _ID}, **values).partition(str(_ID))
        parts = _ID_URLS[key] = head, tail
    return parts


def id_url(endpoint: str, name: str, value) -> str:
    """url_for(endpoint, name=value) for a record's page, from the endpoint's pattern built
    once: a page that links a few records (a list links its rows with id_url_parts)."""
    head, tail = id_url_parts(endpoint, name)
    return f"{head}{value}{tail}"


# {locale: ({msgid: translation}, {msgid: translation % {}})} of the strings templates translate.
_TEXTS: dict[object, tuple[dict, dict]] = {}


@pass_eval_context
def _template_gettext(eval_ctx, string: str, **variables):
    """Jinja's _() (its newstyle gettext: the translation is a format string, escaped in
    HTML), remembering each translation per language: a page translates a hundred constant
    strings, each lookup otherwise a dozen calls through Flask-Babel."""
    texts = _TEXTS.get(locale := get_locale())
    if texts is None:
        texts = _TEXTS[locale] = ({}, {})
    if variables or not eval_ctx.autoescape:
        text = texts[0].get(string)
        if text is None:
            text = texts[0][string] = get_translations().ugettext(string)
        return (_catalogue_html(text) if eval_ctx.autoescape else text) % variables
    text = texts[1].get(string)
    if text is None:
        text = texts[1][string] = _catalogue_html(get_translations().ugettext(string)) % {}
    return text


def _catalogue_html(text: str) -> Markup:
    """A translation as HTML, trusted as Jinja's own gettext trusts it: msgids are written in
    our templates and msgstrs in our catalogue, never by users; values put in with % are
    escaped by Markup."""
    return Markup(text)  # noqa: S704 — catalogue text written by us, never user input


# {(language, form class, field, choices made, labelled): the field's <select>}: bounded by
# the filters' choices.
_SELECTS: dict[tuple, Markup] = {}


def filter_select(form, name: str, labelled: bool = False) -> Markup:
    """A list filter's SelectField as WTForms renders it (class form-select; aria-label its
    label when `labelled`), rendered once per language, form, choice made and attributes, then
    reused: WTForms translates and escapes every option on each render (~900 calls a select)."""
    field = form[name]
    chosen = tuple(option.value for option in field.iter_choices() if option.selected)
    key = (get_locale(), type(form), name, chosen, labelled)
    markup = _SELECTS.get(key)
    if markup is None:
        named = {"aria-label": field.label.text} if labelled else {}
        markup = _SELECTS[key] = field(class_="form-select", **named)
    return markup


# {((code, name) choices, chosen code): their <option>s}: bounded by the lists of registered
# names (in each language) and their choices.
_OPTIONS: dict[tuple, Markup] = {}
_OPTIONS_KEPT = 500  # beyond this (lists built from changing data), render without keeping


def option_tags(choices, chosen: str) -> Markup:
    """The <option>s of a filter's fixed (code, name) `choices`, `chosen` selected, written once
    per list and choice: the audit page's hundred actions cost ~0.5 ms a request in Jinja."""
    key = (tuple(choices), chosen)
    markup = _OPTIONS.get(key)
    if markup is None:
        markup = Markup("").join(
            Markup('<option value="{0}"{1}>{2}</option>').format(
                code, Markup(" selected") if code == chosen else "", name)
            for code, name in key[0])
        if len(_OPTIONS) < _OPTIONS_KEPT:
            _OPTIONS[key] = markup
    return markup


_SORT_KEY = "sortkey987654321"  # stands for a sort key in a list's URL (url_for leaves it as is)
_QUERY_SAFE = "!$'()*,/:;?@"  # what werkzeug leaves unquoted in a query value


def sort_url(endpoint: str, args, key: str) -> str:
    """url_with(endpoint, args, drop=('after', 'before', 'dir'), sort=key): the link of a
    sortable column. A list's header links differ only in `key`, so the URL is built once per
    request and list (in `g`, with the `args` it was built from) and the key put in."""
    urls = g.__dict__.setdefault("sort_urls", {})
    built = urls.get((endpoint, id(args)))
    if built is None or built[0] is not args:
        url = url_with(endpoint, args, drop=("after", "before", "dir"), sort=_SORT_KEY)
        built = urls[(endpoint, id(args))] = (args, *url.rpartition(_SORT_KEY)[::2])
    return f"{built[1]}{quote_plus(key, safe=_QUERY_SAFE)}{built[2]}"


# {locale: {flow kind: its label}}: the inbox names the kind of each of its rows.
_FLOW_LABELS: dict[object, dict[str, str]] = {}


def _flow_label(flow_kind: str) -> str:
    """engine.flow_label, each kind's label translated once per language."""
    labels = _FLOW_LABELS.setdefault(get_locale(), {})
    label = labels.get(flow_kind)
    if label is None:
        label = labels[flow_kind] = flow_label(flow_kind)
    return label


def notice_url(notice) -> str | None:
    """The URL a notice points at (None: none): a record's page from its endpoint's pattern
    (id_url), anything else by url_for; the inbox lists ten notices on every visit."""
    link = notifications.link_of(notice)
    if link is None:
        return None
    if len(link.values) == 1:
        (name, value), = link.values.items()
        if isinstance(value, int):
            return id_url(link.endpoint, name, value)
    return link.url()


def _user():
    """The signed-in user itself: policy reads a dozen of its attributes per decision, and each
    read through the current_user proxy looks the user up again."""
    return current_user._get_current_object()


def _keep_compiled_templates(app: Flask) -> None:
    """Compiled templates are kept in instance/jinja/ between processes: each gunicorn worker
    would otherwise compile the ~100 templates again as it first uses them (~1.5 s of CPU).
    Jinja checks each template's source against what it kept, so an edited one is compiled
    afresh. (Outside debug, Flask already leaves auto_reload off: no file check per render.)"""
    if app.debug or app.testing:
        return
    folder = os.path.join(app.instance_path, "jinja")
    os.makedirs(folder, exist_ok=True)
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(folder)


def _localtime_filter(app: Flask):
    zone = ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])

    def localtime(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
        """A stored UTC time in the company's zone (numeric, the same in every language)."""
        return value.replace(tzinfo=UTC).astimezone(zone).strftime(fmt) if value else ""
    return localtime


def register(app: Flask) -> None:
    locales.register(app)
    badges.watch_changes()
    _keep_compiled_templates(app)
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)
    app.jinja_env.globals.update(
        can=lambda action, target: policy.can(_user(), action, target),
        fixed_url=fixed_url, id_url=id_url, id_url_parts=id_url_parts, sort_url=sort_url,
        labels_of=labels_of, filter_select=filter_select, option_tags=option_tags,
        Action=policy.Action, masked=masked, url_with=url_with, flow_label=_flow_label,
        step_name=current_step_name, notice_text=notifications.message,
        notice_url=notice_url,
        meaning_label=lambda value: Meaning(value).label,
        mode_label=lambda value: StepMode(value).label)
    app.jinja_env.filters.update(localtime=_localtime_filter(app), date=_date, money=_money,
                                 label=html_label)

    @app.context_processor
    def page_context():
        return {
            "nav_items": navigation_for(_user()) if current_user.is_authenticated else [],
            "company_name": app.config["COMPANY_NAME"],
            "locale": str(get_locale()),
            "now_utc": utcnow(),
        }

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", _CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", _PERMISSIONS)
        # No other site's window keeps a handle on ours (window.opener, tab-napping).
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            # Served over HTTPS: browsers must never fall back to plain HTTP for this host.
            headers.setdefault("Strict-Transport-Security",
                               f"max-age={app.config['HSTS_MAX_AGE']}")
        if request.endpoint != "static":
            # Pages carry personal data: no copies in browser or proxy caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
