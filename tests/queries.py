"""Counting SQL statements, and the rule that templates never query (DESIGN.md: the service
loads what the page shows).

`TemplateQueries` records every statement sent while a template renders (a full page, an htmx
block or a PDF layout), in the thread that renders it: a lazy relationship load, a policy check
or a helper that reads the database from a template. tests/conftest.py installs one for the
session and fails the test during which a template queried.
"""

import threading
from contextlib import contextmanager

from flask import before_render_template, got_request_exception, request_started, template_rendered
from jinja2_fragments.flask import (
    before_render_template_block,
    before_render_template_blocks,
    template_block_rendered,
    template_blocks_rendered,
)
from sqlalchemy import event
from sqlalchemy.engine import Engine

_STARTS = (before_render_template, before_render_template_block, before_render_template_blocks)
_ENDS = (template_rendered, template_block_rendered, template_blocks_rendered)


class TemplateQueries:
    """The statements templates sent, as (template, SQL), since the last `reset()`."""

    def __init__(self):
        self.found: list[tuple[str, str]] = []
        self._local = threading.local()  # the templates rendering in this thread, innermost last

    def install(self) -> None:
        for signal in _STARTS:
            signal.connect(self._started, weak=False)
        for signal in _ENDS:
            signal.connect(self._ended, weak=False)
        # A template that raised never sends its end signal: a new request, or the error
        # page of this one, starts from no template.
        for signal in (request_started, got_request_exception):
            signal.connect(self._forget, weak=False)
        event.listen(Engine, "before_cursor_execute", self._statement)

    def uninstall(self) -> None:
        for signal in (*_STARTS, *_ENDS, request_started, got_request_exception):
            for receiver in (self._started, self._ended, self._forget):
                signal.disconnect(receiver)
        event.remove(Engine, "before_cursor_execute", self._statement)

    def reset(self) -> None:
        self.found.clear()
        self._local.rendering = []

    def _forget(self, _app, **_kwargs) -> None:
        self._local.rendering = []

    def _rendering(self) -> list[str]:
        if not hasattr(self._local, "rendering"):
            self._local.rendering = []
        return self._local.rendering

    def _started(self, _app, **kwargs) -> None:
        template = kwargs.get("template")
        self._rendering().append(template.name if template else kwargs.get("template_name"))

    def _ended(self, _app, **_kwargs) -> None:
        if self._rendering():
            self._rendering().pop()

    def _statement(self, _conn, _cursor, statement, *_args) -> None:
        if self._rendering():
            self.found.append((self._rendering()[-1], " ".join(statement.split())[:300]))

    def report(self) -> str:
        lines = [f"{template}: {sql}" for template, sql in self.found]
        return (f"{len(lines)} SQL statement(s) sent while a template rendered (templates "
                "never query: load it in the service):\n" + "\n".join(lines))


class _Counter:
    def __init__(self):
        self.statements: list[str] = []
        self._thread = threading.get_ident()

    @property
    def count(self) -> int:
        return len(self.statements)

    def __call__(self, _conn, _cursor, statement, *_args) -> None:
        if threading.get_ident() == self._thread:
            self.statements.append(statement)


@contextmanager
def counted():
    """Counts the SQL statements this thread sends inside the block (`.count`, `.statements`)."""
    counter = _Counter()
    event.listen(Engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(Engine, "before_cursor_execute", counter)


def page_statements(client, url: str) -> int:
    """The SQL statements one GET of `url` sends (it must answer 200). A first GET goes before
    the counted one: what a session does once in a while (its last-seen stamp) is not the
    page's."""
    assert client.get(url).status_code == 200, url
    with counted() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


def assert_flat(client, url: str, add_rows, few: int = 5, many: int = 50) -> str:
    """The page sends as many statements with `many` rows as with `few`: `add_rows(n)` adds n
    rows it shows. Returns the page with `many` rows, for the caller to check they are shown."""
    add_rows(few)
    with_few = page_statements(client, url)
    add_rows(many - few)
    with_many = page_statements(client, url)
    assert with_many == with_few, (
        f"{url}: {with_few} statements with {few} rows, {with_many} with {many}")
    return client.get(url).get_data(as_text=True)
