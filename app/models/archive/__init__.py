"""The archive (档案室): filed items with their 档号, voided numbers, the retention schedule."""

from app.models.archive.items import (
    ArchiveItem,
    ArchiveLocation,
    ArchiveNumberVoid,
    ArchiveState,
)
from app.models.archive.retention import RetentionRule, RetentionTrigger

__all__ = [
    "ArchiveItem",
    "ArchiveLocation",
    "ArchiveNumberVoid",
    "ArchiveState",
    "RetentionRule",
    "RetentionTrigger",
]
