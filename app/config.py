"""Configuration. Environment variables override: DATABASE_URL, REDIS_URL, SECRET_KEY, ..."""

import os
import secrets
from datetime import timedelta
from pathlib import Path


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.lower() in {"1", "true", "yes", "on"}


def rate_limit_storage(environ=os.environ) -> str:
    """Where rate limits are counted: Redis when REDIS_URL is set, else the application's
    database; never a worker's own memory, which would give each gunicorn worker a limit of
    its own (app/extensions.py's DatabaseStorage)."""
    return environ.get("REDIS_URL") or "taizhang+db://"


def instance_secret_key(instance_path: str) -> str:
    """The SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


class Config:
    COMPANY_NAME = os.environ.get("COMPANY_NAME", "华兴科技有限公司")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # default set in create_app
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    SESSION_COOKIE_NAME = "taizhang_session"
    IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")))
    # The server ends idle sessions (services/core/sessions.py). The cookie is signed again
    # only when the server notes activity (once a minute at most; signing it on every response
    # cost half a millisecond a request) and outlives the server's deadline by a few minutes,
    # so that an open page's next poll still reaches the server and is told why it ended.
    SESSION_REFRESH_EACH_REQUEST = False
    PERMANENT_SESSION_LIFETIME = IDLE_TIMEOUT + timedelta(minutes=5)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Shanghai")
    LANGUAGES = ("zh_CN", "en")

    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 (a hashing method, not a password)
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    LOGIN_RATE_PER_ADDRESS = "30 per 5 minutes"
    LOGIN_RATE_PER_ACCOUNT = "10 per 5 minutes"
    # Mistyped signing passwords lock signing (not the sign-in) the same way.
    SIGN_MAX_FAILURES = 5
    SIGN_LOCK_MINUTES = 15
    RATELIMIT_STORAGE_URI = rate_limit_storage()
    RATELIMIT_HEADERS_ENABLED = True
    # HSTS (sent only when SESSION_COOKIE_SECURE is on, i.e. behind HTTPS): one year.
    HSTS_MAX_AGE = 31536000

    PAGE_SIZE = 20
    COUNT_CAP = 1000
    # The navigation badge's figures are kept this long per user unless they change
    # (services/approvals/badges.py).
    BADGE_KEEP_SECONDS = 60

    # Uploads (Excel imports): a larger request is refused with the 413 page.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "10")) * 1024 * 1024
    # Background jobs (app/jobs.py): on Redis when REDIS_URL is set, else in this SQLite file
    # (default instance/jobs.db); TAIZHANG_JOBS_IMMEDIATE=1 runs each job inline, no worker.
    JOBS_DB = os.environ.get("JOBS_DB")
    JOBS_IMMEDIATE = _env_bool("TAIZHANG_JOBS_IMMEDIATE", False)
    IMPORT_CHUNK_ROWS = 1000
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "taizhang-demo")
    # A reversal (红冲) of a larger amount (yuan) waits for the department manager's signature.
    REVERSAL_APPROVAL_ABOVE = os.environ.get("TAIZHANG_REVERSAL_APPROVAL_ABOVE", "10000.00")
    # The archive (services/archive): filed copies under ARCHIVE_ROOT (default instance/archive/;
    # a shared volume when several web nodes serve), sealed by the key and certificate in
    # ARCHIVE_SEAL_PKCS12 (password ARCHIVE_SEAL_PASSWORD), else by a seal generated once into
    # ARCHIVE_SEAL_DIR (default instance/archive_seal/). 档号 codes (DA/T 22): 全宗号, 门类 by
    # record type (a kind's own code when absent), 机构 by department code.
    ARCHIVE_ROOT = os.environ.get("ARCHIVE_ROOT")
    ARCHIVE_SEAL_PKCS12 = os.environ.get("ARCHIVE_SEAL_PKCS12")
    ARCHIVE_SEAL_PASSWORD = os.environ.get("ARCHIVE_SEAL_PASSWORD")
    ARCHIVE_SEAL_DIR = os.environ.get("ARCHIVE_SEAL_DIR")
    ARCHIVE_FONDS_CODE = os.environ.get("ARCHIVE_FONDS_CODE", "TZ")
    ARCHIVE_CATEGORY_CODES: dict = {}
    ARCHIVE_DEPARTMENT_CODES = {"sales": "XS", "service": "KF", "risk": "FX", "management": "ZB",
                                "archive": "DA", "it": "XX"}
    # Orphan files (written, their item never committed) older than this are swept away.
    ARCHIVE_ORPHAN_GRACE_MINUTES = 60
    # Days between a disposal list's approval and its execution, during which it can be aborted.
    ARCHIVE_DISPOSAL_WAIT_DAYS = int(os.environ.get("ARCHIVE_DISPOSAL_WAIT_DAYS", "7"))


class TestConfig(Config):
    TESTING = True
    # Hashing stays scrypt, with a cheaper cost so hundreds of test logins stay fast.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # noqa: S105
    RATELIMIT_STORAGE_URI = "taizhang+db://"  # what production uses without Redis
    SERVER_NAME = None
    # Each test replaces the database under the process: badge figures are counted every time
    # (tests/core/test_badge_cache.py turns keeping on).
    BADGE_KEEP_SECONDS = 0
