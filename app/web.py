"""What every page shares: template helpers, navigation, security headers."""

import os
from datetime import datetime

from flask import Flask, request, url_for
from flask_babel import format_date, get_locale
from flask_login import current_user
from jinja2 import FileSystemBytecodeCache

from app import locales, policy
from app.models import Meaning, StepMode
from app.models.base import utcnow
from app.navigation import navigation_for
from app.services.approvals import badges
from app.services.approvals.engine import flow_label
from app.services.approvals.steps import current_step_name
from app.services.core import notifications
from app.services.core.pii import masked
from app.timeutil import to_local

# No inline script or style anywhere (styles live in static/css), so an injected <style> or
# style attribute is refused like an injected script.
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
        "form-action 'self'; base-uri 'self'")
# Powerful browser features no page here uses.
_PERMISSIONS = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
                "midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()")


def _localtime(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time in the company's zone (numeric, the same in every language)."""
    return to_local(value).strftime(fmt) if value else ""


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


def register(app: Flask) -> None:
    locales.register(app)
    badges.watch_changes()
    _keep_compiled_templates(app)
    app.jinja_env.globals.update(
        can=lambda action, target: policy.can(_user(), action, target),
        Action=policy.Action, masked=masked, url_with=url_with, flow_label=flow_label,
        step_name=current_step_name, notice_text=notifications.message,
        notice_link=notifications.link_of,
        meaning_label=lambda value: Meaning(value).label,
        mode_label=lambda value: StepMode(value).label)
    app.jinja_env.filters.update(localtime=_localtime, date=_date, money=_money)

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
