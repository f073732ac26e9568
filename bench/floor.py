"""The bare floor of the throughput benchmark: plain Flask + Jinja rendering a 50-row customer
table from the same database file, with no sign-in, policy, audit or layout. Every product
page is measured against it under the same gunicorn settings (bench/throughput.py).

Served as `gunicorn bench.floor:app` with FLOOR_DATABASE naming the SQLite file.

"/" is the floor the targets were set against. It renders by render_template_string, which
compiles the template on every request: ~75 % of its CPU time in process (1.7 ms of 2.3 on
2026-12-07). "/compiled-once" is the same page from a template compiled once, as
render_template keeps it: what bare Flask and Jinja cost (bench.pages prints both).
"""

import functools
import os
import sqlite3
import threading

from flask import Flask, render_template_string

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>客户</title></head>
<body><table><thead><tr><th>编号</th><th>客户名称</th><th>行业</th><th>等级</th><th>电话</th></tr>
</thead><tbody>{% for c in rows %}<tr><td><a href="/customers/{{ c[0] }}">{{ c[1] }}</a></td>
<td>{{ c[2] }}</td><td>{{ c[3] }}</td><td>{{ c[4] }}</td><td>{{ c[5] }}</td></tr>{% endfor %}
</tbody></table></body></html>"""
QUERY = ("SELECT id, number, name, industry, grade, phone FROM customers "
         "ORDER BY id DESC LIMIT 50")

app = Flask(__name__)
_local = threading.local()


def _connection() -> sqlite3.Connection:
    """One read connection per thread, as a pooled application would keep."""
    if not hasattr(_local, "db"):
        _local.db = sqlite3.connect(os.environ["FLOOR_DATABASE"], check_same_thread=False)
    return _local.db


@app.get("/")
def customers():
    return render_template_string(PAGE, rows=_connection().execute(QUERY).fetchall())


@app.get("/compiled-once")
def customers_compiled_once():
    return _compiled().render(rows=_connection().execute(QUERY).fetchall())


@functools.cache
def _compiled():
    return app.jinja_env.from_string(PAGE)
