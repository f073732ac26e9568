"""The two languages' Locale objects and WTForms' message catalogues, made once per process;
the request's catalogue found once per request.

Flask-Babel parses the selected locale name on every request (Babel's Locale.parse looks the
name up among its ~800 locale data files, about a millisecond), and Flask-WTF reads WTForms'
.mo catalogue from disk on every request that builds a form. Both depend only on the locale
name, so each is made the first time a name is seen and kept.

Every translated string (a page translates 100 to 200: labels, choices, navigation) asks
Flask-Babel for its per-request state three times, each time through the `g` proxy three times,
and then looks the catalogue up again; `_request_state` and `_request_translations` make that a
context variable read and one comparison."""

from functools import cache
from types import SimpleNamespace

import flask_babel
from babel import Locale
from babel.support import Translations
from flask import Flask, request
from flask.globals import _cv_app
from flask_babel import Domain, get_babel, get_locale
from wtforms.i18n import messages_path


@cache
def _parsed(name: str) -> Locale:
    return Locale.parse(name)


@cache
def _wtforms_catalogue(name: str) -> Translations:
    return Translations.load(messages_path(), [_parsed(name)], domain="wtforms")


class _RequestCatalogue:
    """WTForms' catalogue of the request's locale, chosen when a message is translated (the
    locale may change during the request: the language switch)."""

    def ugettext(self, string: str) -> str:
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


_CATALOGUE = _RequestCatalogue()
_babel_translations = Domain.get_translations


def _request_state() -> SimpleNamespace | None:
    """Flask-Babel's per-request state (the same object as its own lookup returns: the
    application context's g._flask_babel), read from the context variable directly."""
    context = _cv_app.get(None)
    if context is None:
        return None
    state = context.g.__dict__.get("_flask_babel")
    if state is None:
        state = context.g._flask_babel = SimpleNamespace()
    return state


def _request_translations(domain: Domain):
    """The catalogue of the request's locale, looked up once per request and locale (the
    language switch and force_locale change the locale, so the locale is the key)."""
    state = _request_state()
    if state is None:
        return _babel_translations(domain)
    locale = state.__dict__.get("babel_locale") or get_locale()
    kept = state.__dict__.get("taizhang_translations")
    if kept is not None and kept[0] is locale:
        return kept[1]
    translations = _babel_translations(domain)
    state.taizhang_translations = (locale, translations)
    return translations


def register(app: Flask) -> None:
    """Wraps the app's locale selector (after Babel's init_app) to hand Flask-Babel a parsed
    Locale, which it keeps as is, puts WTForms' catalogues where Flask-WTF looks for them
    first (flask_wtf.i18n keeps what it loaded on the request), and gives Flask-Babel the
    direct lookups above (its default domain is the one every gettext uses)."""
    flask_babel._get_current_context = _request_state
    babel = get_babel(app)
    select = babel.locale_selector

    def selected():
        name = select() if select else None
        return _parsed(str(name)) if name else None

    babel.locale_selector = selected
    with app.app_context():
        domain = babel.instance.domain_instance
    domain.get_translations = _request_translations.__get__(domain)

    @app.before_request
    def share_wtforms_catalogue():
        request.wtforms_translations = _CATALOGUE
