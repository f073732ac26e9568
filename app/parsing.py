"""One way to read what a request sends, for every route: ids, whole numbers and dates, in a
URL path, a query string or a form. A value that is not one is refused with a Chinese message
(an error on its form field, or a 400 page) before any query sees it: an id beyond the
database's integer range would overflow SQLite and be refused by PostgreSQL (a 500), a date
at the end of the calendar overflows the first day added to it. Paging cursors are checked by
services.core.report_cursor; the 400 for one is answered here."""

import re
from datetime import date, datetime

from flask import Flask, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter
from wtforms import DateField, DateTimeLocalField, IntegerField

from app.models.base import MAX_INTEGER
from app.services.core.report_cursor import BadCursor
from app.services.core.validation import is_blank

# Dates a ledger may hold: far enough from the calendar's ends that a week or a time zone can
# be added to any of them.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
_DIGITS = re.compile(r"[0-9]{1,10}")
_WHOLE = re.compile(r"-?[0-9]{1,18}")
_FIELD_NAME = re.compile(r"[\x20-\x7e]{1,100}")
_DAY_FORMAT = _l("请按 年-月-日 填写日期，如 2026-03-31。")
_DAY_RANGE = _l("日期须在 1900-01-01 至 2999-12-31 之间。")


class BadInput(BadRequest):
    """A 400 whose description, already in the user's language, the error page shows."""


def to_id(value) -> int | None:
    """A record's id as typed (ASCII digits, 1 to the INTEGER maximum); None for anything
    else: blank, signed, fractional, in other scripts' digits, or beyond the range."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= MAX_INTEGER else None
    text = value.strip() if isinstance(value, str) else ""
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_INTEGER else None


def to_whole(value, low: int, high: int) -> int | None:
    """A whole number between `low` and `high` as typed (ASCII digits, a leading minus);
    None for anything else."""
    text = value.strip() if isinstance(value, str) else ""
    if not _WHOLE.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def in_calendar(day: date | None) -> bool:
    return day is None or FIRST_DAY <= day <= LAST_DAY


def arg_id(name: str) -> int | None:
    """The id in the query string's `name`, None when it is absent or blank; 400 when it is
    not an id (a link typed or altered by hand)."""
    value = request.args.get(name, "")
    if not value.strip():
        return None
    number = to_id(value)
    if number is None:
        raise BadInput(_("链接中的参数 %(name)s 不是有效的编号，请从页面上的链接进入。",
                         name=name))
    return number


def arg_day(name: str) -> date | None:
    """The date (年-月-日) in the query string's `name`, None when absent or blank; 400 when
    it is not a date in the ledger's calendar."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        day = None
    if day is None or not in_calendar(day):
        raise BadInput(_("链接中的参数 %(name)s 不是有效的日期，请从页面上的链接进入。",
                         name=name))
    return day


class IdField(IntegerField):
    """A record chosen by its id (a filter's owner, a form's customer): anything but an id is
    an error on the field, never a query."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = to_id(valuelist[0])
        if self.data is None and str(valuelist[0]).strip():
            raise ValueError(_l("请选择列表中的一项。"))


class DayField(DateField):
    """A date typed as 年-月-日, within the ledger's calendar; a Chinese message otherwise."""

    def __init__(self, label=None, validators=None, format="%Y-%m-%d", **kwargs):  # noqa: A002
        super().__init__(label, validators, format=format, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_DAY_FORMAT) from error
        if not in_calendar(self.data):
            self.data = None
            raise ValueError(_DAY_RANGE)


class MomentField(DateTimeLocalField):
    """A local date and time (an <input type=datetime-local>), within the ledger's calendar."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("请按 年-月-日 时:分 填写时间，如 2026-03-31 09:30。")) from error
        if self.data is not None and not in_calendar(self.data.date()):
            self.data = None
            raise ValueError(_DAY_RANGE)


class IdConverter(IntegerConverter):
    """`<int:…>` in a URL: an id an INTEGER column holds. Any other number matches no route,
    so it is a 404, like an id that names no record."""

    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_INTEGER,  # noqa: A002
                 signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def blanked(values: ImmutableMultiDict) -> ImmutableMultiDict:
    """`values` with every value of only spaces (full-width U+3000 too) or invisible
    characters made empty: such a value is no value, for every form and filter at once (a
    required field refuses it, an optional one stays unset)."""
    if not any(text and is_blank(text) for _key, text in values.items(multi=True)):
        return values
    return ImmutableMultiDict([(key, "" if is_blank(text) else text)
                               for key, text in values.items(multi=True)])


def register(app: Flask) -> None:
    """Bounded ids in every URL (before any route is added), refusals of NUL characters and
    of foreign cursors as 400 pages, whitespace-only values as empty ones."""
    from app.errors import render_error
    from app.extensions import db

    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def refuse_unreadable_fields():
        """PostgreSQL text cannot hold NUL: refused here for every field, never a 500 there.
        Field names are ours, short and ASCII: a row number in one ("lines-2-product") is then
        never another script's digits or too long for int()."""
        sent = [*request.args.items(multi=True)]
        if request.method == "POST":
            sent += request.form.items(multi=True)
        if "\x00" in request.path or any("\x00" in k + v for k, v in sent):
            raise BadInput(_("提交的内容含有不允许的控制字符，请删除后重试。"))
        if not all(_FIELD_NAME.fullmatch(key) for key, _value in sent):
            raise BadInput(_("请求的内容不完整或格式不正确。"))

    @app.before_request
    def blank_whitespace_only_values():
        """Forms (WTForms' InputRequired looks at what was typed) and filters then read a
        value of only spaces as the empty value it is."""
        request.args = blanked(request.args)
        if request.method == "POST":
            request.form = blanked(request.form)

    @app.errorhandler(BadInput)
    def bad_input(error: BadInput):
        db.session.rollback()
        return render_error(400, error.description)

    @app.errorhandler(BadCursor)
    def bad_cursor(_error: BadCursor):
        db.session.rollback()
        return render_error(400, _("翻页链接无效或已过期，请回到列表的第一页。"))
