"""The archive (档案室): filed items with their 档号, voided numbers, the retention schedule."""

from app.models.archive.catalogue import (
    ArchiveItemSearch,
    ArchivePrintJob,
    PrintFormat,
    PrintStatus,
)
from app.models.archive.checks import (
    ArchiveCheckResult,
    ArchiveCheckRun,
    ArchiveCheckScheme,
    ArchiveCheckSchemeRow,
    CheckDimension,
    CheckOutcome,
    CheckRunStatus,
    CheckScope,
    CheckTrigger,
)
from app.models.archive.disposals import (
    DisposalEntry,
    DisposalList,
    DisposalStatus,
    EntryDecision,
    EntryOutcome,
)
from app.models.archive.handovers import (
    ArchiveFilingRun,
    ArchiveHandover,
    ArchiveHandoverLine,
    FilingRunStatus,
    HandoverLineStatus,
    HandoverSource,
)
from app.models.archive.holds import ArchiveHold, ArchiveHoldMark, HoldScope
from app.models.archive.items import (
    ArchiveItem,
    ArchiveLocation,
    ArchiveNumberVoid,
    ArchiveState,
)
from app.models.archive.loans import (
    LOAN_FLOW,
    ArchiveLoan,
    ArchiveLoanItem,
    LoanMethod,
    LoanStatus,
    ReturnCondition,
)
from app.models.archive.retention import RetentionRule, RetentionTrigger
from app.models.archive.schedule import RetentionRuleChange, RetentionRun, RetentionRunStatus

__all__ = [
    "ArchiveCheckResult",
    "ArchiveCheckRun",
    "ArchiveCheckScheme",
    "ArchiveCheckSchemeRow",
    "ArchiveFilingRun",
    "ArchiveHandover",
    "ArchiveHandoverLine",
    "ArchiveHold",
    "ArchiveHoldMark",
    "ArchiveItem",
    "ArchiveItemSearch",
    "ArchiveLocation",
    "ArchiveLoan",
    "ArchiveLoanItem",
    "ArchiveNumberVoid",
    "ArchivePrintJob",
    "ArchiveState",
    "CheckDimension",
    "CheckOutcome",
    "CheckRunStatus",
    "CheckScope",
    "CheckTrigger",
    "DisposalEntry",
    "DisposalList",
    "DisposalStatus",
    "EntryDecision",
    "EntryOutcome",
    "FilingRunStatus",
    "HandoverLineStatus",
    "HandoverSource",
    "HoldScope",
    "LOAN_FLOW",
    "LoanMethod",
    "LoanStatus",
    "PrintFormat",
    "PrintStatus",
    "RetentionRule",
    "RetentionRuleChange",
    "RetentionRun",
    "RetentionRunStatus",
    "RetentionTrigger",
    "ReturnCondition",
]
