"""Records that follow a customer to its new owner. A department whose records take their scope
from the customer (owner, department) registers a follower in its plug_in; the customer master
moves them all through this registry without importing any department."""

from typing import Protocol

from app.models import Level, User


class Follower(Protocol):
    def follow_owner(self, customers, owner: User) -> dict[str, int]:
        """Gives the records of `customers` (ids, or a select of ids) the new owner and their
        department; returns {kind: rows moved}."""

    def above(self, customers, level: Level) -> int:
        """How many records of `customers` are more confidential than `level`."""


_FOLLOWERS: dict[str, Follower] = {}


def register(name: str, follower: Follower) -> None:
    _FOLLOWERS[name] = follower


def follow_owner(customers, owner: User) -> dict[str, int]:
    """Every department's records of `customers` follow them to `owner` (call it before the
    customers' own owner changes if `customers` is a select that depends on it)."""
    moved: dict[str, int] = {}
    for follower in _FOLLOWERS.values():
        moved.update(follower.follow_owner(customers, owner))
    return moved


def above(customers, level: Level) -> int:
    """How many records of `customers`, in any department, a user cleared only for `level`
    could not see: such a user may not take the customers over."""
    return sum(follower.above(customers, level) for follower in _FOLLOWERS.values())
