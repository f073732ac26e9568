"""Extension singletons, bound to the app in create_app(), and the rate limiter's storage in the
application's database."""

import hashlib
import time

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits.storage import Storage
from sqlalchemy import MetaData, text
from sqlalchemy.exc import SQLAlchemyError

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)


def client_address() -> str:
    """The requesting address as the proxy in front of us reports it (ProxyFix sets it)."""
    return request.remote_addr or "-"


# One statement increments or starts a window, atomic on SQLite (one writer at a time) and on
# PostgreSQL (ON CONFLICT locks the row), so workers never lose each other's hits.
_HIT = text(
    "INSERT INTO rate_limits (key, count, expires_at) VALUES (:key, :amount, :now + :expiry) "
    "ON CONFLICT (key) DO UPDATE SET "
    "count = CASE WHEN rate_limits.expires_at <= :now THEN excluded.count "
    "ELSE rate_limits.count + excluded.count END, "
    "expires_at = CASE WHEN rate_limits.expires_at <= :now THEN excluded.expires_at "
    "ELSE rate_limits.expires_at END "
    "RETURNING count")


class DatabaseStorage(Storage):
    """Rate-limit counters in the application's database (table rate_limits, migration 0007),
    shared by every gunicorn worker and web node; the default when REDIS_URL is not set.

    `limits` has no SQL storage. This one serves the fixed-window strategy (Flask-Limiter's
    default). It uses the database of the app handling the request, on a connection of its own
    so that a hit counts even when the request's transaction rolls back.
    """

    STORAGE_SCHEME = ["taizhang+db"]

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    @staticmethod
    def _key(key: str) -> str:
        """Keys hold what clients send (a username): long ones are stored as their digest."""
        return key if len(key) <= 200 else "sha256:" + hashlib.sha256(key.encode()).hexdigest()

    def _row(self, key: str) -> tuple[int, float] | None:
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT count, expires_at FROM rate_limits WHERE key = :key "
                                    "AND expires_at > :now"),
                               {"key": self._key(key), "now": time.time()}).first()
        return (row[0], row[1]) if row else None

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        with db.engine.begin() as conn:
            count = conn.execute(_HIT, {"key": self._key(key), "amount": amount, "now": now,
                                        "expiry": expiry}).scalar_one()
        if count == amount:  # a window started: forget the windows that have ended
            with db.engine.begin() as conn:
                conn.execute(text("DELETE FROM rate_limits WHERE expires_at <= :now"),
                             {"now": now})
        return count

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as conn:
            return conn.execute(text("DELETE FROM rate_limits")).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM rate_limits WHERE key = :key"),
                         {"key": self._key(key)})
