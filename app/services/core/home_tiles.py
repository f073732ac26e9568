"""Tiles of 我的工作台 that departments add without the platform importing them: a department
registers a provider (its plug_in), the home page renders what the providers return for the
user. A provider answers None when the user has nothing to do with its tile; each figure is
counted by the database in the user's policy scope, capped, in one query."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

TILE_CAP = 99  # a tile says "99+" beyond this: it is a nudge, not a report


@dataclass(frozen=True)
class Figure:
    key: str  # data-count attribute, for tests and styling
    label: str
    count: int
    capped: bool = False
    endpoint: str | None = None  # the list the figure links to, filtered by `args`
    args: dict = field(default_factory=dict)
    alert: bool = False  # shown as a warning when not zero (overdue, breached)


@dataclass(frozen=True)
class Tile:
    key: str
    title: str
    figures: tuple[Figure, ...]
    note: str = ""


Provider = Callable[[object, date], Tile | None]
_PROVIDERS: list[tuple[int, Provider]] = []


def register(order: int, provider: Provider) -> None:
    """Adds a tile provider (called once per application by a department's plug_in)."""
    if provider not in [known for _order, known in _PROVIDERS]:
        _PROVIDERS.append((order, provider))
        _PROVIDERS.sort(key=lambda entry: entry[0])


def tiles_for(user, today: date) -> list[Tile]:
    """The tiles the user has, in their registered order."""
    return [tile for _order, provider in _PROVIDERS if (tile := provider(user, today))]
