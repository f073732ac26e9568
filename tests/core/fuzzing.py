"""A seeded request generator for the no-500 fuzz test, in the manner of schemathesis: forms as
the pages render them (fields, options, buttons, hidden values) and the query parameters their
links carry, values from pools of what breaks parsers (numbers past every integer type, dates
at the calendar's ends, foreign cursors, NUL, other scripts' digits, long text), and a
snapshot of the database that a refused post must leave as it was."""

import base64
import io
import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy import String, cast, func, literal, null, select, union_all

from app.extensions import db
from app.models import AuditEvent


def _cursor(value) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# By kind: the edge values first (what has broken such fields), then the merely odd ones.
NUMBERS = [str(2**31), str(2**63), str(2**64), "9" * 40, "-" + "9" * 40, "9" * 5000, "-1", "0",
           "１２", "١٢٣", "²", "1e309", "NaN", "Infinity", "1.5", "Ⅻ", "0x10", "1_000", " 7 ",
           "1,234.50", "¥1e3", "1" * 30 + ".125", "00", str(2**31 - 1)]
DATES = ["9999-12-31", "0001-01-01", "9999-12-31T23:59", "0001-01-01T00:00", "9999-12-31 23:59",
         "0001-01-01 00:00", "10000-01-01", "2026-02-30", "2026-13-01", "1899-12-31",
         "3000-01-01", "2026-1-1", "2026/01/01", "20260101", "2026-W01-1", "2026-03",
         "2026-03-01 25:61"]
TEXTS = ["a\x00b", "x" * 5000, "中" * 3000, '"a" OR', "NEAR(", "a*", "*", "%", "_", "\\",
         "' OR 1=1 --", "<script>alert(1)</script>", "😀", "𠀀𠀁", "\u202e", "\ufeff", "\u3000",
         "a\nb", "", " ", "null", "[]", '{"a":1}']
CURSORS = [_cursor(v) for v in ([2**70, 1], ["x", 2**70], [{"a": 1}, 5], [[1], 5], ["a\x00", 1],
                                [1e308, 1e308], ["9999-99-99", 1], {"a": 1}, [1, 2, 3],
                                [1.5, 1], [True, 1], [None, 1], ["2026-01-01", 1], [1, -1],
                                [1, 0], ["A", 1], ["2026-01-01T00:00:00+08:00", 1])]
CURSORS += ["!!!", "====", "%%", _cursor(b"\xff\xfe"), _cursor(b"["), _cursor(b"[" * 5000)]
EDGES = {"cursor": CURSORS[:7], "date": DATES[:6], "number": NUMBERS[:9], "text": TEXTS[:3]}
SORTS = ("name", "updated", "grade", "number", "sign_date", "created")  # a cursor is per sort
POOL = NUMBERS + DATES + TEXTS + CURSORS
# What a user would type: lets a form pass its checks and reach the service's.
PLAUSIBLE = ["测试客户有限公司", "王经理", "13912345678", "010-12345678", "2026-03-02", "100.00",
             "2", "1", "介绍新产品", "a@b.cn", "2026-03-02T09:30", "2026-03", "同意"]
_TODAY = date.today()
_TYPED = ((re.compile(r"phone|mobile"), "139{:08d}"), (re.compile(r"email"), "a@b.cn"),
          (re.compile(r"_at$"), f"{_TODAY - timedelta(days=1)}T09:30"),
          (re.compile(r"month"), f"{_TODAY:%Y-%m}"),
          (re.compile(r"date|_on$|from|_to$|start|end|week"), _TODAY.isoformat()),
          (re.compile(r"quantity|price|amount|cost|copies|pages"), "2"))
# Query parameters some route reads, besides those its pages' forms and links name.
PARAMS = ("after", "before", "owner", "page", "q", "sort", "dir", "level", "view", "type",
          "grade", "industry", "status", "kind", "customer", "customer_id", "contract", "plan",
          "to", "date", "week", "year", "start", "end", "date_from", "date_to", "sign_from",
          "sign_to", "month", "object_id", "actor", "action", "object_type", "rule", "show",
          "field", "exclude", "referrer", "referred", "next", "name", "phone", "outcome")
KEYS = ("lines-999-product", "terms-7-term_id", "steps-3-name", "lines-²-product", "名字",
        "x" * 101, "op", "version", "stamp", "confirm_same_phone", "active")
_DAYISH = re.compile(r"date|day|_on$|_at$|from|_to$|start|end|week|month")
_IDISH = re.compile(r"id$|owner|customer|contract|plan|^to$|term|department|level|year|page|"
                    r"version|copies|pages|exclude|number")


def typed(name: str, seen: list[str], serial: int) -> str:
    """What a user would choose or type in the field `name` (the page's `seen` values); names
    and phones numbered by `serial`, so that a new record is not a duplicate."""
    chosen = [value for value in seen if value]
    if chosen:
        return chosen[-1]  # a select's last option: the first is often "请选择"
    found = next((value for pattern, value in _TYPED if pattern.search(name)), "测试{}号")
    return found.format(serial)


def kind_of(name: str, seen: list[str]) -> str:
    """What a field holds, by its name and the values the page put in it."""
    if name in ("after", "before"):
        return "cursor"
    if _DAYISH.search(name) or any(re.match(r"\d{4}-\d\d", v) for v in seen):
        return "date"
    if _IDISH.search(name) or any(v.isdigit() for v in seen):
        return "number"
    return "text"


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name: values offered
    files: list[str] = field(default_factory=list)


class Page(HTMLParser):
    """A page's <form>s (inputs, selects' options, textareas, named buttons) and the query
    parameters of its links, by path."""

    def __init__(self, url: str, html: str):
        super().__init__()
        self.url, self.forms, self.links = url, [], {}
        self._form = self._select = self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "?" in a.get("href", ""):
            parts = urlsplit(a["href"])
            self.links.setdefault(parts.path, set()).update(k for k, _ in parse_qsl(parts.query))
        if tag == "form":
            self._form = Form(a.get("action") or self.url, (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "option" and self._select:
            self._add(self._select, a.get("value", ""), first="selected" in a)
        elif not a.get("name"):
            return
        elif tag == "input" and a.get("type") == "file":
            self._form.files.append(a["name"])
        elif tag in ("input", "button"):
            checkbox = a.get("type") in ("checkbox", "radio")
            self._add(a["name"], a.get("value", "on" if checkbox else ""), first="checked" in a)
        elif tag == "select":
            self._select = a["name"]
            self._form.fields.setdefault(a["name"], [])
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add(a["name"], "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag in ("select", "textarea"):
            self._select = self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form and data.strip():
            self._form.fields[self._textarea].insert(0, data)

    def _add(self, name: str, value: str, first: bool = False):
        """A value the page offers for `name`; the one shown as chosen first."""
        values = self._form.fields.setdefault(name, [])
        if value not in values:
            values.insert(0 if first else len(values), value)


class Generator:
    """Seeded values: one targeted field gets an edge value of its kind; others now and then
    something odd, or a user's value, so that requests reach the service's checks too."""

    def __init__(self, seed: str, ids: list[int]):
        self.rng = random.Random(seed)
        self.ids = [str(i) for i in ids] + ["999999", "0", "-5"]

    def edge(self, name: str, seen: list[str]) -> str:
        kind = kind_of(name, seen)
        return self.rng.choice(EDGES[kind] if self.rng.random() < 0.7 else POOL)

    def value(self, name: str, seen: list[str]) -> str:
        roll = self.rng.random()
        if seen and roll < 0.3:
            return self.rng.choice(seen)
        if roll < 0.45:
            return self.rng.choice(self.ids)
        return self.rng.choice(PLAUSIBLE if roll < 0.6 else POOL)

    def query(self, target: str, names: list[str]) -> list[tuple[str, str]]:
        """A query string: `target` at an edge, up to two other parameters now and then."""
        others = self.rng.sample(names, min(len(names), self.rng.randint(0, 2)))
        pairs = [(name, self.value(name, [])) for name in others if name != target]
        if self.rng.random() < 0.05:
            pairs.append((self.rng.choice(KEYS), "1"))
        if target in ("after", "before") and self.rng.random() < 0.5:
            pairs.append(("sort", self.rng.choice(SORTS)))
        return [(target, self.edge(target, [])), *pairs]

    def form_data(self, form: Form, target: str | None, token: str) -> dict:
        """The form as shown (its blanks mostly filled in, often), `target` at an edge; up to two
        other fields changed, dropped or doubled; an unknown field now and then."""
        data = {name: (seen[0] if seen else "") for name, seen in form.fields.items()}
        if self.rng.random() < 0.6:  # most blanks filled in, some optional ones left
            serial = self.rng.randint(1, 10**7)
            data.update({name: typed(name, form.fields[name], serial)
                         for name, v in data.items() if not v and self.rng.random() < 0.8})
        for name in self.rng.sample(list(data), min(len(data), self.rng.randint(0, 2))):
            roll, seen = self.rng.random(), form.fields[name]
            if roll < 0.15:
                del data[name]
            else:
                data[name] = self.value(name, seen) if roll > 0.3 else [self.value(name, seen)] * 2
        if target is not None:
            data[target] = self.edge(target, form.fields.get(target, []))
        if self.rng.random() < 0.05:
            data[self.rng.choice(KEYS)] = self.rng.choice(POOL)
        data["csrf_token"] = token
        data.update({name: self.file() for name in form.files})
        return data

    def file(self):
        content = self.rng.choice([b"", b"PK\x03\x04garbage", b"\x00" * 64, "名称,电话\n".encode()])
        name = self.rng.choice(["a.xlsx", "a.xls", "a.ods", "a.csv", "../../etc/passwd.xlsx"])
        return io.BytesIO(content), name


_snapshots: dict = {}


def snapshot(skipped: frozenset[str], counted_only: frozenset[str]) -> dict:
    """Each table's row count and latest change (updated_at), but for the `skipped` tables,
    only the count of the `counted_only` ones; and the last audit event's id ("audit")."""
    key = (skipped, counted_only)
    if key not in _snapshots:  # one statement, built once: its compiled form is reused
        parts = [select(literal("audit"), func.max(AuditEvent.id), cast(null(), String))]
        for table in db.metadata.sorted_tables:
            if table.name in skipped:
                continue
            latest = (cast(func.max(table.c.updated_at), String)
                      if "updated_at" in table.c and table.name not in counted_only
                      else cast(null(), String))
            parts.append(select(literal(table.name), func.count(), latest).select_from(table))
        _snapshots[key] = union_all(*parts)
    return {name: (count, latest) for name, count, latest in db.session.execute(_snapshots[key])}


# What a refusal itself records: the denial, a failed password and the lock it may cause.
_REFUSAL = re.compile(r"access_denied|.*_failed|.*_refused_locked|account_locked")


def last_event_id() -> int:
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def unexplained_events(after_id: int) -> list[str]:
    """The actions of the audit events after `after_id` that no refusal explains."""
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.id > after_id))
    return [action for action in actions if not _REFUSAL.fullmatch(action)]
