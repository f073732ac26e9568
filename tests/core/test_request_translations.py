"""The request's catalogue is looked up once per request and locale (app/locales.py): what it
keeps must follow the language switch and force_locale within the same request."""

from flask import session
from flask_babel import force_locale, get_locale, gettext, lazy_gettext, refresh

LABEL = lazy_gettext("客户档案")


def test_translations_follow_a_language_switch_within_one_request(app):
    """Rule: after the locale changes mid-request (the language switch), strings are in the
    new language, not the one kept from earlier in the request."""
    with app.test_request_context("/"):
        assert gettext("客户档案") == "客户档案" and str(LABEL) == "客户档案"
        session["locale"] = "en"
        refresh()
        assert str(get_locale()) == "en"
        assert gettext("客户档案") == "Customers" and str(LABEL) == "Customers"


def test_force_locale_translates_inside_and_restores_after(app):
    """Rule: force_locale (the import templates' headers) switches and then restores."""
    with app.test_request_context("/"):
        assert gettext("客户档案") == "客户档案"
        with force_locale("en"):
            assert gettext("客户档案") == "Customers"
        assert gettext("客户档案") == "客户档案"


def test_templates_translate_in_the_request_locale(app):
    """Rule: the template gettext uses the same catalogue as the code."""
    template = app.jinja_env.from_string("{{ _('客户档案') }}")
    with app.test_request_context("/"):
        session["locale"] = "en"
        assert template.render() == "Customers"
    with app.test_request_context("/"):
        assert template.render() == "客户档案"
