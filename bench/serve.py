"""A gunicorn server on a free local port for a benchmark, a browser-like sign-in through its
/login form, and wrk's requests per second against one of its pages."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`gunicorn <target>` (2 workers × 4 threads, as `make run`) until the block ends."""

    def __init__(self, target: str, env: dict[str, str]):
        self.port = _free_port()
        self.target, self.env = target, env

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        env = {**os.environ, "SECRET_KEY": "bench-throughput", "PYTHONPATH": str(ROOT),
               **self.env}
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [gunicorn, "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", self.target], cwd=ROOT, env=env)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url("/"), timeout=1)
                return self
            except urllib.error.HTTPError:
                return self  # it answers (a 302 to the login page, say)
            except OSError:
                time.sleep(0.1)
        self.__exit__(None, None, None)
        raise RuntimeError(f"{self.target} did not start on port {self.port}")

    def __exit__(self, *_exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def get(self, path: str, cookie: str) -> str:
        """The page's body; it must answer 200 itself (a redirect, e.g. to the login form,
        would make wrk measure the wrong page)."""
        request = urllib.request.Request(self.url(path), headers={"Cookie": cookie})
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=30) as response:
            return response.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise RuntimeError(f"{req.full_url} answered {code} to {newurl}")


def sign_in(server: Server, username: str) -> str:
    """Signs in through the login form (demo password) and returns the session's Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(server.url("/login"), timeout=30).read().decode()
    token = _CSRF.search(page).group(1)
    form = urllib.parse.urlencode({"username": username, "csrf_token": token,
                                   "password": os.environ.get("DEMO_PASSWORD",
                                                              "taizhang-demo")}).encode()
    opener.open(server.url("/login"), data=form, timeout=30)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookie:
        raise RuntimeError(f"sign-in as {username} failed")
    return cookie


def wrk(url: str, cookie: str, seconds: int) -> float:
    """Requests per second of `url` (2 threads, 8 connections); every answer must be 2xx."""
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    failed = _NON_2XX.search(output)
    if failed:
        raise RuntimeError(f"{url}: {failed.group(1)} answers were not 2xx")
    return float(_RPS.search(output).group(1))
