"""The shared template helpers that keep what every page pays for small (app/web.py): each
remembers work between calls, and must give what the uncached way gives."""

import json

import pytest
from flask import render_template_string, request, session, url_for
from flask_babel import force_locale, refresh
from werkzeug.datastructures import MultiDict

from app.blueprints.customers.forms import CustomerFilterForm
from app.models import Level, Notification, Role
from app.services.approvals.engine import flow_label
from app.services.core import audit_labels
from app.web import (
    filter_select,
    id_url,
    id_url_parts,
    notice_url,
    option_tags,
    sort_url,
    url_with,
)

QUERIES = ["", "?q=a+b&sort=name&dir=desc&after=x", "?status=active&q=%E4%B8%AD&owner=3",
           "?q=sortkey987654321x"]


@pytest.mark.parametrize("query", QUERIES)
def test_a_sort_link_is_the_url_the_list_would_build(app, query):
    """Rule: a column's sort link keeps the list's filters, drops the pager's and the
    direction, and names its own key, exactly as url_with would."""
    with app.test_request_context("/customers/" + query):
        for key in ("name", "created", "amount due"):
            assert sort_url("customers.customer_list", request.args, key) == url_with(
                "customers.customer_list", request.args, drop=("after", "before", "dir"),
                sort=key)


def test_sort_links_of_other_arguments_are_not_mixed_up(app):
    """Rule: two lists on one page (different arguments) keep their own filters."""
    with app.test_request_context("/customers/?q=x"):
        first, second = MultiDict({"q": "x"}), MultiDict({"status": "draft"})
        assert sort_url("customers.customer_list", first, "name") == "/customers/?q=x&sort=name"
        assert (sort_url("customers.customer_list", second, "name")
                == "/customers/?status=draft&sort=name")


def test_a_record_link_follows_the_application_root(app):
    """Rule: a row's link is url_for's, under whatever root the application is served."""
    with app.test_request_context("/"):
        assert id_url("approvals.request_detail", "request_id", 42) == "/approvals/42"
    with app.test_request_context("/", base_url="http://localhost/taizhang"):
        assert id_url("approvals.request_detail", "request_id", 7) == "/taizhang/approvals/7"


def test_a_rows_link_parts_put_around_its_id_give_url_for(app):
    """Rule: a list's row link, head ~ id ~ tail, is url_for's under the application root,
    whether the id ends the URL or not, and id_url is the same link."""
    for base in ("http://localhost", "http://localhost/taizhang"):
        with app.test_request_context("/", base_url=base):
            for endpoint, name in (("customers.customer_detail", "customer_id"),
                                   ("approvals.request_card", "request_id"),
                                   ("admin.user_edit", "user_id")):
                head, tail = id_url_parts(endpoint, name)
                assert f"{head}31{tail}" == url_for(endpoint, **{name: 31})
                assert id_url(endpoint, name, 7) == url_for(endpoint, **{name: 7})


@pytest.mark.parametrize("labelled", [False, True])
def test_a_reused_filter_select_is_what_wtforms_renders(app, labelled):
    """Rule: filter_select gives the field's own rendering (class form-select, its label as
    aria-label when asked) for each request's choice and language, never an earlier one's."""
    for query, locale in (("?grade=A", "zh"), ("", "zh"), ("?grade=A", "en"),
                          ("?grade=Z", "en"), ("?grade=A", "zh")):
        with app.test_request_context("/customers/" + query), force_locale(locale):
            form = CustomerFilterForm(request.args)
            named = {"aria-label": form.grade.label.text} if labelled else {}
            assert filter_select(form, "grade", labelled=labelled) == form.grade(
                class_="form-select", **named)


def test_template_strings_follow_the_language_and_escape_their_values(app):
    """Rule: a template's _() remembers translations per language only: the language switch
    and force_locale change them; values put into a translation are escaped."""
    page = ("{{ _('客户档案') }}|{{ _('共 %(n)d 条', n=3) }}|"
            "{{ _('%(field)s：%(value)s', field='<b>', value='x') }}")
    with app.test_request_context("/"):
        assert render_template_string(page) == "客户档案|共 3 条|&lt;b&gt;：x"
        with force_locale("en"):
            assert render_template_string(page).startswith("Customers|")
        session["locale"] = "en"
        refresh()
        assert render_template_string(page).startswith("Customers|")


def test_choice_labels_follow_the_language(app):
    """Rule: the `label` filter gives a choice's label in the request's language."""
    page = "{{ role | label }} · {{ level | label }} · {{ none | label }}"
    with app.test_request_context("/"):
        assert render_template_string(page, role=Role.GM, level=Level.SECRET) == "总经理 · 秘密 · "
        with force_locale("en"):
            assert render_template_string(page, role=Role.GM, level=Level.SECRET) == (
                "General manager · Secret · ")


def test_audit_names_follow_registrations_and_the_language(app, monkeypatch):
    """Rule: the audit trail's translated names are rebuilt when a domain registers more,
    and kept per language."""
    monkeypatch.setattr(audit_labels, "_ACTIONS", dict(audit_labels._ACTIONS))
    monkeypatch.setattr(audit_labels, "_TRANSLATED", {})
    with app.test_request_context("/"):
        assert audit_labels.action_label("login") == "登录"
        audit_labels.register_actions({"test_only_action": "测试动作"})
        assert audit_labels.action_label("test_only_action") == "测试动作"
        with force_locale("en"):
            assert audit_labels.action_label("login") == "Sign in"
        assert audit_labels.action_label("login") == "登录"


@pytest.mark.parametrize("chosen", ["", "b", "<x>"])
def test_reused_option_tags_are_what_the_template_wrote(app, chosen):
    """Rule: option_tags gives the <option>s a Jinja loop writes, values escaped, the chosen
    one selected, on the first call and when kept."""
    loop = ("{%- for code, name in choices %}<option value=\"{{ code }}\"{% if code == chosen %}"
            " selected{% endif %}>{{ name }}</option>{% endfor -%}")
    choices = [("", "全部"), ("b", "乙 & 丙"), ("<x>", "<危险>")]
    with app.test_request_context("/"):
        expected = render_template_string(loop, choices=choices, chosen=chosen)
        for _ in range(2):
            assert str(option_tags(choices, chosen)) == expected


def test_flow_labels_follow_the_language(app):
    """Rule: a kind of approval is named in the request's language, each kept per language."""
    with app.test_request_context("/"):
        assert render_template_string("{{ flow_label('customer.review') }}") == flow_label(
            "customer.review")
        with force_locale("en"):
            english = render_template_string("{{ flow_label('customer.review') }}")
            assert english == flow_label("customer.review") and english.isascii()
        assert not render_template_string("{{ flow_label('customer.review') }}").isascii()


@pytest.mark.parametrize(("endpoint", "args"), [
    ("approvals.request_detail", {"request_id": 12}),
    ("customers.customer_detail", {"customer_id": 3}),
    ("sales.contract_version", {"contract_id": 4, "number": 2}),
    ("approvals.request_inbox", {})])
def test_a_notices_link_is_url_for(app, endpoint, args):
    """Rule: a notice's link, built from its endpoint's pattern when it names one record, is
    url_for's under the application root; a notice without a link has none."""
    for base in ("http://localhost", "http://localhost/taizhang"):
        with app.test_request_context("/", base_url=base):
            notice = Notification(link_endpoint=endpoint, link_args=json.dumps(args))
            assert notice_url(notice) == url_for(endpoint, **args)
            assert notice_url(Notification(link_endpoint=None, link_args="{}")) is None
