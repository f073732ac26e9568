"""The two languages' Locale objects and WTForms' message catalogues, made once per process.

Flask-Babel parses the selected locale name on every request (Babel's Locale.parse looks the
name up among its ~800 locale data files, about a millisecond), and Flask-WTF reads WTForms'
.mo catalogue from disk on every request that builds a form. Both depend only on the locale
name, so each is made the first time a name is seen and kept."""

from functools import cache

from babel import Locale
from babel.support import Translations
from flask import Flask, request
from flask_babel import get_babel, get_locale
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


def register(app: Flask) -> None:
    """Wraps the app's locale selector (after Babel's init_app) to hand Flask-Babel a parsed
    Locale, which it keeps as is, and puts WTForms' catalogues where Flask-WTF looks for them
    first (flask_wtf.i18n keeps what it loaded on the request)."""
    babel = get_babel(app)
    select = babel.locale_selector

    def selected():
        name = select() if select else None
        return _parsed(str(name)) if name else None

    babel.locale_selector = selected

    @app.before_request
    def share_wtforms_catalogue():
        request.wtforms_translations = _CATALOGUE
