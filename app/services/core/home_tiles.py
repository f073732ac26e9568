"""Tiles of 我的工作台 that departments add without the platform importing them: a department
registers a provider (its plug_in), the home page renders what the providers return for the
user. A provider answers None when the user has nothing to do with its tile; each figure is a
capped count in the user's policy scope, handed over as a query: the home page counts every
figure of every tile in one statement (pagination.CappedCounts)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Select

TILE_CAP = 99  # a tile says "99+" beyond this: it is a nudge, not a report


@dataclass(frozen=True)
class Figure:
    key: str  # data-count attribute, for tests and styling
    label: str
    count: int = 0
    capped: bool = False
    endpoint: str | None = None  # the list the figure links to, filtered by `args`
    args: dict = field(default_factory=dict)
    alert: bool = False  # shown as a warning when not zero (overdue, breached)
    # Rows of `counting` (a policy-scoped query of `model`) give the count, once counted.
    counting: Select | None = field(default=None, compare=False, repr=False)
    model: object = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Tile:
    key: str
    title: str
    figures: tuple[Figure, ...]
    note: str = ""
    shown_when_zero: bool = True  # False: the tile is left out when all its figures are 0


Provider = Callable[[object, date], Tile | None]
_PROVIDERS: list[tuple[int, Provider]] = []


def register(order: int, provider: Provider) -> None:
    """Adds a tile provider (called once per application by a department's plug_in)."""
    if provider not in [known for _order, known in _PROVIDERS]:
        _PROVIDERS.append((order, provider))
        _PROVIDERS.sort(key=lambda entry: entry[0])


def tiles_for(user, today: date) -> list[Tile]:
    """The tiles the user has, in their registered order, their figures not yet counted."""
    return [tile for _order, provider in _PROVIDERS if (tile := provider(user, today))]


def pending_counts(tiles: list[Tile]) -> list[tuple[Select, object, int]]:
    """The (query, model, cap) of every figure still to be counted, in order."""
    return [(figure.counting, figure.model, TILE_CAP)
            for tile in tiles for figure in tile.figures if figure.counting is not None]


def counted(tiles: list[Tile], counts: Iterator[tuple[int, bool]]) -> list[Tile]:
    """The tiles with their figures' counts (CappedCounts of pending_counts, run, in order),
    less those shown only when something is there to count."""
    done = []
    for tile in tiles:
        figures = tuple(_filled(figure, counts) for figure in tile.figures)
        if tile.shown_when_zero or any(figure.count for figure in figures):
            done.append(replace(tile, figures=figures))
    return done


def _filled(figure: Figure, counts: Iterator[tuple[int, bool]]) -> Figure:
    if figure.counting is None:
        return figure
    count, capped = next(counts)
    return replace(figure, count=count, capped=capped, counting=None, model=None)
