"""A queue and one task for tests/core/test_job_worker.py: the task writes when it ran."""

import os
import time

from huey import SqliteHuey

huey = SqliteHuey("probe", filename=os.environ["PROBE_DB"], results=False)


@huey.task()
def stamp(path: str) -> None:
    with open(path, "w") as out:
        out.write(repr(time.time()))
