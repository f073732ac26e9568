"""Taizhang (客户台账): create_app() builds the application."""

import os
import sqlite3

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.config import Config, instance_secret_key
from app.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config: type[Config] | None = None, **overrides) -> Flask:
    """The application: configuration, extensions, blueprints, error pages and commands."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config or Config)
    app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = os.path.join(app.instance_path, "taizhang.db")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Writers wait for each other instead of failing with "database is locked".
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 30}}
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # No JIT: it compiles the expressions of any query the planner costs high, ~80 ms for
        # a list page's capped count that then runs in ~30 ms; short web queries never gain.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {**options.get("connect_args", {}), "options": "-c jit=off"}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    if int(os.environ.get("PROXY_COUNT", "0")):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=int(os.environ["PROXY_COUNT"]))

    _init_extensions(app)
    from app import parsing

    parsing.register(app)  # before the routes: they are built with its bounded <int:…>
    _register_blueprints(app)

    from app import cli, errors, web

    errors.register(app)
    web.register(app)
    cli.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from app import auth_setup

    auth_setup.configure(app)
    babel.init_app(app, locale_selector=auth_setup.select_locale)


def _register_blueprints(app: Flask) -> None:
    """The platform's pages, then each domain through its one plug_in (its policy rules,
    approval flows, importers, customer followers and pages)."""
    from app.blueprints import (
        admin,
        approvals,
        archive,
        audit,
        auth,
        core,
        customers,
        sales,
        service,
    )

    for platform in (auth, core):
        app.register_blueprint(platform.bp)
    for domain in (customers, sales, service, archive, admin):
        domain.plug_in(app)
    for platform in (approvals, audit):
        app.register_blueprint(platform.bp)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers run beside the writer; foreign keys are off in SQLite by default; a
    32 MB page cache per connection (default 2 MB) keeps the indexes a report scans, such as
    the receivables aging's, in memory between requests."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-32000")
        cursor.close()
