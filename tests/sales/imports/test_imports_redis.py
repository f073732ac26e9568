"""One real import job end to end through Redis: the web request enqueues it on a RedisHuey
queue (the application's own factory and task), a consumer thread takes it, runs it in the
application and the progress fragment reports it done. Skipped when no Redis answers."""

import os
import signal
import time
import uuid

import pytest
import redis

from app import jobs
from tests.factories.imports import batch_id, row, start, upload, workbook
from tests.factories.people import make_user

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_queue(app, monkeypatch):
    """A RedisHuey queue of its own (unique name) whose consumer runs in a thread."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis at {REDIS_URL} does not answer ({error}): the Redis job leg is "
                    "not tested")
    queue = jobs.make_huey(REDIS_URL, "", immediate=False, name=f"taizhang-test-{uuid.uuid4()}")
    monkeypatch.setattr(jobs, "import_batch", jobs.register_tasks(queue)["import_batch"])
    jobs.use_app(app)  # the consumer thread has no app context: it uses the test application
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer = queue.create_consumer(workers=1, periodic=False, initial_delay=0.05,
                                     max_delay=0.2, check_worker_health=False)
    consumer.start()
    yield queue
    consumer.stop(graceful=True)
    for number, handler in handlers.items():
        signal.signal(number, handler)
    jobs.use_app(None)
    queue.storage.flush_all()


def test_an_import_job_runs_through_redis(client, app, redis_queue):
    make_user(app, "sales1")
    client.login("sales1")
    batch = batch_id(upload(client, workbook([row(1), row(2), row(3, 联系电话="1")])))
    assert start(client, batch).status_code == 303
    deadline, fragment = time.monotonic() + 30, ""
    while time.monotonic() < deadline:
        fragment = client.htmx("GET", f"/sales/imports/{batch}/status").get_data(as_text=True)
        if 'data-status="done"' in fragment:
            break
        time.sleep(0.2)
    assert 'data-status="done"' in fragment, fragment
    assert "读取行数 3 = 新增 2 + 更新 0 + 跳过 0 + 失败 1" in fragment
    assert redis_queue.pending_count() == 0
