"""Rate limits are counted where every worker sees them (the database, or Redis when REDIS_URL is
set), so two gunicorn workers do not double a limit."""

import threading
import time
import uuid

import pytest
import redis
from sqlalchemy import text

from app import create_app
from app.config import TestConfig, rate_limit_storage
from app.extensions import DatabaseStorage, db, limiter
from tests.factories.people import make_user

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def workers(app, database_url):
    """Makes apps like the test app, on its database, as separate workers would be; afterwards
    the shared `limiter` is bound to the test app again."""
    made = []

    def make(**config):
        worker = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url,
                            SECRET_KEY="test-secret", LOGIN_RATE_PER_ACCOUNT="3 per minute",
                            **config)
        worker.test_client_class = app.test_client_class
        made.append(worker)
        return worker

    yield make
    for worker in made:
        with worker.app_context():
            db.engine.dispose()
    limiter.init_app(app)


def _attempts_taking_turns(first, second, count: int) -> list[int]:
    """Failed sign-ins to one account, alternating between two workers. Flask-Limiter keeps one
    storage object, that of the app it was last bound to: binding each worker again before its
    request gives it a storage object of its own, as its own process would have."""
    clients = (first.test_client(), second.test_client())
    statuses = []
    for attempt in range(count):
        worker = (first, second)[attempt % 2]
        limiter.init_app(worker)
        statuses.append(clients[attempt % 2].login("sales1", f"wrong-{attempt}-x").status_code)
    return statuses


def test_two_workers_on_one_database_share_the_sign_in_limit(app, workers):
    make_user(app, "sales1")
    statuses = _attempts_taking_turns(workers(), workers(), 6)
    assert statuses == [422, 422, 422, 429, 429, 429]


def test_the_two_worker_check_would_see_a_limit_kept_in_each_workers_memory(app, workers):
    """The check above can fail: with each worker's own memory the limit never bites."""
    make_user(app, "sales1")
    first, second = (workers(RATELIMIT_STORAGE_URI="memory://") for _ in range(2))
    assert _attempts_taking_turns(first, second, 6) == [422] * 6


def _redis_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_with_redis_url_set_two_workers_share_the_limit_in_redis(app, workers):
    uri = rate_limit_storage({"REDIS_URL": REDIS})
    prefix = f"test-{uuid.uuid4().hex}"  # this run's keys only, whoever else uses this Redis
    make_user(app, "sales1")
    first, second = (workers(RATELIMIT_STORAGE_URI=uri, RATELIMIT_KEY_PREFIX=prefix)
                     for _ in range(2))
    assert _attempts_taking_turns(first, second, 6) == [422, 422, 422, 429, 429, 429]
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM rate_limits")).scalar() == 0


def test_without_redis_the_limits_are_kept_in_the_database():
    assert rate_limit_storage({}) == "taizhang+db://"
    assert isinstance(limiter.storage, DatabaseStorage)


def test_hits_from_many_threads_at_once_are_all_counted(app):
    storage = DatabaseStorage()

    def hit():
        with app.app_context():
            for _ in range(10):
                storage.incr("race", 60)

    threads = [threading.Thread(target=hit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        assert storage.get("race") == 60


def test_a_window_that_has_ended_starts_again_from_one(app_ctx):
    storage = DatabaseStorage()
    assert [storage.incr("window", 60) for _ in range(3)] == [1, 2, 3]
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE rate_limits SET expires_at = :past"), {"past": time.time() - 1})
    assert storage.get("window") == 0
    assert storage.incr("window", 60) == 1
    assert time.time() + 55 < storage.get_expiry("window") <= time.time() + 60


def test_a_long_key_is_stored_as_its_digest(app_ctx):
    storage = DatabaseStorage()
    key = "login-account:" + "x" * 500
    assert storage.incr(key, 60) == 1 and storage.incr(key, 60) == 2
    storage.clear(key)
    assert storage.get(key) == 0
