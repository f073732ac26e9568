"""A separate process that files records, for the kill -9 test: `python -m
tests.archive.filing_worker <database URL> <archive root> <seal dir> <pause at> <type:id>...`.

It prints "stored <path>" when a copy is written and "filed <档号>" after each commit; at the
`pause at`-th copy it stops after writing the file, before the commit, so that the test kills it
at the most delicate moment (0: never)."""

import sys
import time

from sqlalchemy import select

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.models import User
from app.services.archive import store
from app.services.archive.filing import file_record


def pausing_store(pause_at: int):
    """store.store that reports each copy and sleeps after the `pause_at`-th one."""
    written, count = store.store, 0

    def store_and_report(relative: str, data: bytes) -> None:
        nonlocal count
        written(relative, data)
        count += 1
        print(f"stored {relative}", flush=True)
        if count == pause_at:
            time.sleep(600)

    return store_and_report


def main(url: str, root: str, seal: str, pause_at: str, *records: str) -> None:
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, SECRET_KEY="worker",
                     ARCHIVE_ROOT=root, ARCHIVE_SEAL_DIR=seal)
    store.store = pausing_store(int(pause_at))
    with app.app_context():
        archivist = db.session.scalar(select(User).where(User.username == "archivist"))
        for record in records:
            record_type, record_id = record.split(":")
            item = file_record(record_type, int(record_id), archivist)
            print(f"filed {item.archive_number}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
