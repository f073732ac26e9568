"""Benchmark databases: their own SQLite file and PostgreSQL database, migrated and filled.

Generated customers are kept between runs (generation is the slow part); a database is only
topped up when it holds fewer customers than asked for.
"""

import os
import time
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from werkzeug.security import generate_password_hash

from app import create_app
from app.config import Config
from app.extensions import db
from app.models import Customer, User

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = str(ROOT / "migrations")
SQLITE_PATH = ROOT / "instance" / "bench.db"
PG_SERVER_URL = os.environ.get("BENCH_PG_SERVER_URL",
                               "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_DATABASE = "taizhang_bench"
# The benchmark signs in as one of the generated salespeople; they get this password here only.
STAFF_PASSWORD = "bench-staff-password"  # noqa: S105 (benchmark database only)


def sqlite_url() -> str:
    """The benchmark's own SQLite file, never the user's instance/taizhang.db."""
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{SQLITE_PATH}"


def postgres_url() -> str | None:
    """taizhang_bench on the local server (created when missing), or None if none answers."""
    server = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT",
                           connect_args={"connect_timeout": 3})
    try:
        with server.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": PG_DATABASE})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
    except Exception as error:  # noqa: BLE001 (any failure to connect means: skip PostgreSQL)
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        print("#" * 72 + f"\n## POSTGRESQL SKIPPED: no server answers at {PG_SERVER_URL}\n"
              f"## ({reason})\n## PostgreSQL is not measured.\n" + "#" * 72, flush=True)
        return None
    finally:
        server.dispose()
    return make_url(PG_SERVER_URL).set(database=PG_DATABASE).render_as_string(
        hide_password=False)


def bench_app(url: str) -> Flask:
    """The real application on the benchmark database."""
    return create_app(Config, SQLALCHEMY_DATABASE_URI=url)


def prepare(app: Flask, customers: int) -> tuple[int, float]:
    """Migrates, adds the demo users, tops up customers: (customers now, seconds generating)."""
    from app.services.demo import loader as demo
    from app.services.demo.synthetic import bulk_customers

    with app.app_context():
        upgrade(directory=MIGRATIONS)
        if not db.session.scalar(select(User).where(User.username == "sales_mgr")):
            demo.create_users(app.config["DEMO_PASSWORD"])
            db.session.commit()
        existing = db.session.scalar(select(func.count()).select_from(Customer))
        elapsed = 0.0
        if existing < customers:
            print(f".. generating {customers - existing} customers ({existing} exist)", flush=True)
            started = time.perf_counter()
            bulk_customers(customers - existing)
            db.session.commit()
            _analyze()
            elapsed = time.perf_counter() - started
        total = db.session.scalar(select(func.count()).select_from(Customer))
        db.session.remove()
        return total, elapsed


def _analyze() -> None:
    """PostgreSQL: VACUUM ANALYZE after the bulk load, as autovacuum would do (statistics for
    the planner, a flushed GIN pending list, a visibility map for index-only scans).

    SQLite is left without statistics, as the application's own database is.
    """
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE customers"))


def enable_staff_login(app: Flask, username: str) -> None:
    """Gives one generated salesperson a usable password, in the benchmark database only."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.password_hash = generate_password_hash(STAFF_PASSWORD)
        db.session.commit()
        db.session.remove()
