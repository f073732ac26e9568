"""The parsing layer (app/parsing.py, services/core/report_cursor.py, pagination's cursors):
what a request sends is an id, a whole number, a date or one of our cursors, or it is refused
with a Chinese message (a field error or a 400 page, in English for an English user), before
any query sees it."""

from datetime import date, datetime

import pytest
from werkzeug.datastructures import MultiDict

from app.forms import FilterForm
from app.models import Customer, Grade
from app.parsing import BadInput, DayField, IdField, arg_id, to_id, to_whole
from app.services.core.pagination import Sort, _decode, _encode
from app.services.core.report_cursor import BadCursor, decode_cursor, encode_cursor, pack
from tests.factories.people import make_user

NOT_IDS = ["", " ", "0", "-1", "2147483648", str(2**64), "9" * 5000, "1.0", "1e3", "０１",
           "١٢", "²", "0x1", "1_0", "abc", None, True, 2**31]


@pytest.mark.parametrize("value", NOT_IDS)
def test_an_id_is_ascii_digits_within_the_integer_range(value):
    assert to_id(value) is None


def test_ids_at_the_ends_of_the_range_are_ids():
    assert [to_id("1"), to_id(" 2147483647 "), to_id(7)] == [1, 2**31 - 1, 7]


def test_a_whole_number_is_bounded_both_ways():
    assert [to_whole("-3", -5, 5), to_whole("6", -5, 5), to_whole("x", 0, 9)] == [-3, None, None]


class _Form(FilterForm):
    owner = IdField()
    day = DayField()


@pytest.mark.parametrize("raw, message", [
    ("abc", "请选择列表中的一项。"), (str(2**64), "请选择列表中的一项。"),
    ("9999-12-31", "日期须在 1900-01-01 至 2999-12-31 之间。"),
    ("0001-01-01", "日期须在 1900-01-01 至 2999-12-31 之间。"),
    ("2026-02-30", "请按 年-月-日 填写日期，如 2026-03-31。")])
def test_a_bad_id_or_date_is_a_chinese_error_on_its_field(app, raw, message):
    name = "day" if "-" in raw[1:] else "owner"
    with app.test_request_context():
        form = _Form(MultiDict({name: raw}))
        assert form.checked()[name] is None
        assert [str(e) for e in form[name].errors] == [message]


def test_a_filter_form_keeps_its_valid_filters_beside_an_invalid_one(app):
    with app.test_request_context():
        form = _Form(MultiDict({"owner": "7", "day": "9999-12-31"}))
        assert form.checked() == {"owner": 7, "day": None}


def test_an_id_in_a_link_that_is_no_id_is_a_400_naming_the_parameter(app):
    with app.test_request_context("/?customer=" + str(2**40)), pytest.raises(BadInput) as refused:
        arg_id("customer")
    assert "customer" in refused.value.description
    with app.test_request_context("/?customer=+"):
        assert arg_id("customer") is None


@pytest.mark.parametrize("sort, value", [
    (Sort(Customer.id, True), 12), (Sort(Customer.name_sort, False), "zhang san"),
    (Sort(Customer.grade, False), Grade.A), (Sort(Customer.updated_at, True),
                                              datetime(2026, 3, 1, 8, 30, 5, 123)),
    (Sort(Customer.first_contact_date, True), date(2026, 3, 1))])
def test_a_cursor_comes_back_as_it_was_made_for_its_sort(sort, value):
    assert _decode(_encode(value, 5), sort) == (value, 5)


@pytest.mark.parametrize("sort, cursor", [
    (Sort(Customer.id, True), pack("12", 5)), (Sort(Customer.id, True), pack(2**70, 5)),
    (Sort(Customer.id, True), pack(True, 5)), (Sort(Customer.id, True), pack(1.5, 5)),
    (Sort(Customer.name_sort, False), pack(12, 5)),
    (Sort(Customer.name_sort, False), pack("a\x00", 5)),
    (Sort(Customer.grade, False), pack("Z", 5)),
    (Sort(Customer.updated_at, True), pack("2026-01-01T00:00:00+08:00", 5)),
    (Sort(Customer.first_contact_date, True), pack("9999-99-99", 5)),
    (Sort(Customer.id, True), pack(12, 2**31)), (Sort(Customer.id, True), pack(12, 0)),
    (Sort(Customer.id, True), pack({"a": 1}, 5)), (Sort(Customer.id, True), pack([1], 5)),
    (Sort(Customer.id, True), pack(12)), (Sort(Customer.id, True), "!!!"),
    (Sort(Customer.id, True), "WyJ4Il0"), (Sort(Customer.id, True), "W" * 10 + "%")])
def test_a_cursor_not_made_for_the_sort_is_refused(sort, cursor):
    with pytest.raises(BadCursor):
        _decode(cursor, sort)


def test_a_report_cursor_holds_two_whole_numbers():
    assert decode_cursor(encode_cursor(1500, 7)) == (1500, 7)
    assert decode_cursor(None) is None
    for cursor in (pack(1.5, 7), pack(2**70, 7), pack(1, -7), pack("1", 7), "[" * 3):
        with pytest.raises(BadCursor):
            decode_cursor(cursor)


@pytest.mark.parametrize("url", ["/customers/2147483648", "/customers/0",
                                 "/customers/" + "9" * 5000, "/sales/contracts/1/changes/"
                                 + str(2**63) + "/request.pdf"])
def test_an_id_in_the_path_beyond_the_range_is_not_found(client, app, url):
    make_user(app, "sales1")
    client.login("sales1")
    assert client.get(url).status_code == 404


def test_a_nul_character_or_a_foreign_field_name_is_a_400_in_chinese(client, app):
    make_user(app, "sales1")
    client.login("sales1")
    for query in ("q=a%00b", "%00=1", "名字=1", "x" * 101 + "=1"):
        response = client.get("/customers/?" + query)
        assert response.status_code == 400, query
    assert "控制字符" in client.get("/customers/?q=%00").get_data(as_text=True)
    posted = client.post_form("/customers/new", {"name": "甲\x00公司"})
    assert posted.status_code == 400


def test_the_400_for_a_foreign_cursor_speaks_the_users_language(client, app):
    make_user(app, "sales_en", locale="en")
    client.login("sales_en")
    response = client.get("/customers/?after=" + pack({"a": 1}, 1))
    assert response.status_code == 400
    assert "This page link is invalid" in response.get_data(as_text=True)
