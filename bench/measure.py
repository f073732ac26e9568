"""Server time of requests: the Flask test client in-process, one signed-in user per client."""

import gc
import math
import re
import statistics
import time
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient

_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
_ROW = re.compile(r'<td><a href="/customers/\d+">')
_COUNT = re.compile(r'<span id="result-count">(.*?)</span>', re.S)
_TAGS = re.compile(r"<[^>]+>|\s+")


@dataclass
class Timing:
    backend: str
    role: str
    case: str
    p50: float
    p95: float
    rows: int
    count: str


def signed_in_client(app: Flask, username: str, password: str) -> FlaskClient:
    """A test client signed in through /login with the page's CSRF token, like a browser."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = _CSRF.search(page)
    if token is None:
        raise RuntimeError("no CSRF token on /login")
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token.group(1)})
    if response.status_code not in (302, 303):
        raise RuntimeError(f"sign-in as {username} failed ({response.status_code})")
    return client


def _get(client: FlaskClient, url: str) -> tuple[float, str]:
    """(milliseconds, body) of one GET, which must answer 200."""
    started = time.perf_counter()
    response = client.get(url)
    body = response.get_data(as_text=True)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return elapsed, body


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values`."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def time_rounds(requests: list[tuple[FlaskClient, str]], iterations: int,
                warmup: int) -> list[tuple[float, float, int, str]]:
    """(p50, p95, rows on the page, count shown) of each GET, measured in interleaved rounds
    (every request once per round), so that a burst of outside load spreads over all cases
    instead of ruining one; `warmup` untimed rounds first."""
    for _ in range(warmup):
        for client, url in requests:
            _get(client, url)
    gc.collect()
    samples: list[list[float]] = [[] for _ in requests]
    bodies = [""] * len(requests)
    for _ in range(iterations):
        for i, (client, url) in enumerate(requests):
            elapsed, bodies[i] = _get(client, url)
            samples[i].append(elapsed)
    return [(statistics.median(times), percentile(times, 0.95), *_shown(body))
            for times, body in zip(samples, bodies, strict=True)]


def _shown(body: str) -> tuple[int, str]:
    """(rows in the table, the count line) of a customer list page."""
    count = _COUNT.search(body)
    return len(_ROW.findall(body)), _TAGS.sub("", count.group(1)) if count else "?"
