"""Statements built once per viewer and reused. Building a policy-scoped SELECT, and hashing
it into SQLAlchemy's cache key, costs as much as running it (≈0.2 ms each); a page asks the
same questions on every visit, and a record's page of every record it shows. What is built is
kept under its name and everything policy reads of the viewer (policy/ decides by the user's
id, role, department, clearance and whether the account is active: a change of any of them
builds it anew), plus whatever else the builder reads (`extra`: today's date, the language of
the labels built with it). What varies from request to request is a bound parameter given when
the statement runs (the customer's id) or computed then (bindparam's callable_: the time),
never part of what is kept.

The same store keeps what a statement answered where the answer is costly and its data
carries a version (services.core.data_versions): the version is then part of `extra`, so a
write makes the next visit compute it anew.

Kept per application (its configuration, read as statements are built, is fixed while it
runs), shared by the worker's threads: statements, and the tuples of rows kept, are immutable.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

# Statements kept per worker, the least recently used dropped beyond it: one takes ~30 KB (the
# eleven of a sales manager's pages took 346 KB), so at most ~30 MB, the pages of ~90 users
# active at once (a statement dropped is built again when next asked for: correct, slower).
_KEPT_MAX = 1_000
_lock = threading.Lock()
Built = TypeVar("Built")


def for_viewer(name: str, viewer, build: Callable[[], Built], extra: Hashable = None) -> Built:
    """What `build` makes for `viewer`, built on the first call with this name, these policy
    attributes of the viewer and this `extra`."""
    key = (name, viewer.id, viewer.role, viewer.department_id, viewer.clearance, viewer.active,
           extra)
    kept = current_app.extensions.setdefault("viewer_statements", OrderedDict())
    with _lock:
        built = kept.get(key)
        if built is not None:
            kept.move_to_end(key)
            return built
    built = build()  # outside the lock: two threads may both build it, either is right
    with _lock:
        kept[key] = built
        if len(kept) > _KEPT_MAX:
            kept.popitem(last=False)
    return built


def forget_all() -> None:
    """Drops what is kept: the configuration it was built under changed (the tests' settings,
    which a running application never changes)."""
    current_app.extensions.pop("viewer_statements", None)
