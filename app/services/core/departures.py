"""What a departing employee still holds in other departments, handed over with them. The
sales department's 离职交接 (services.sales.ownership.handover) moves the leaver's customers to a
successor; a department whose records name a person in charge (客服部: open service records,
follow-ups, return visits) registers a participant here in its plug_in: the hand-over list
shows what each leaver still holds there (held), and the hand-over calls every participant in
the same transaction, without importing any department."""

from typing import Protocol

from sqlalchemy import Select

from app.models import Level, User


class Participant(Protocol):
    def kinds(self) -> dict[str, str]:
        """{kind: name} of what the department hands over (lazily translated column names of
        the hand-over list: 未办结服务记录, 待回访...), in the department's order."""

    def held(self, leavers: Select, level: Level) -> dict[int, dict[str, int]]:
        """{user id: {kind: open records}} of the users `leavers` selects (their ids), counting
        only records at or below `level` (the viewer's clearance: above it they do not exist
        for the viewer); users holding nothing are left out."""

    def above(self, leaver: User, level: Level) -> int:
        """How many of the leaver's open records are more confidential than `level` (the
        successor's clearance): such a successor may not take them over."""

    def hand_over(self, leaver: User, successor: User, actor: User) -> dict[str, int]:
        """Gives the leaver's open records to `successor` in the caller's transaction, with the
        department's own history and audit entries; returns {kind: rows moved}."""


_PARTICIPANTS: dict[str, Participant] = {}


def register(name: str, participant: Participant) -> None:
    _PARTICIPANTS[name] = participant


def kinds() -> dict[str, str]:
    """{kind: name} of what every department hands over, in registration order."""
    return {kind: name for p in _PARTICIPANTS.values() for kind, name in p.kinds().items()}


def held(leavers: Select, level: Level) -> dict[int, dict[str, int]]:
    """{user id: {kind: open records}}, in every department, of the users `leavers` selects
    who still hold something at or below `level`: the hand-over list's other columns."""
    found: dict[int, dict[str, int]] = {}
    for participant in _PARTICIPANTS.values():
        for user_id, counts in participant.held(leavers, level).items():
            found.setdefault(user_id, {}).update(counts)
    return found


def above(leaver: User, level: Level) -> int:
    """The leaver's open records, in every department, a successor cleared for `level` could not
    see."""
    return sum(p.above(leaver, level) for p in _PARTICIPANTS.values())


def hand_over(leaver: User, successor: User, actor: User) -> dict[str, int]:
    """Every department's open records of the leaver go to `successor`; {kind: rows moved}."""
    moved: dict[str, int] = {}
    for participant in _PARTICIPANTS.values():
        moved.update(participant.hand_over(leaver, successor, actor))
    return moved
