"""What no single item shows, checked once per run: every series' 件号 run 1, 2, 3… with each
gap accounted for by a recorded void (services/archive/numbers), and the audit trail — the
access and operation log — still verifies as a hash chain (services/core/audit)."""

from app.services.archive import numbers
from app.services.archive.checks.engine import Finding, Plan
from app.services.core.audit import verify_chain

SHOWN_GAPS = 20  # 件号 named per series; the count says the rest


def findings(plan: Plan, series: set[str] | None) -> list[Finding]:
    """The enabled archive-wide checks' findings; `series` limits the number check to the
    series the run's items belong to (None: every series)."""
    found = []
    for setting in plan.archive_wide:
        for detail in _CHECKS[setting.code](series):
            found.append(Finding(setting.code, setting.blocking, detail))
    return found


def _continuity(series: set[str] | None) -> list[str]:
    gaps = numbers.series_gaps()
    return [_gap_note(name, missing) for name, missing in sorted(gaps.items())
            if series is None or name in series]


def _gap_note(series: str, missing: list[int]) -> str:
    shown = ", ".join(str(n) for n in missing[:SHOWN_GAPS])
    more = f" (+{len(missing) - SHOWN_GAPS} more)" if len(missing) > SHOWN_GAPS else ""
    return f"{series}: sequence {shown}{more} neither filed nor voided"


def _audit_chain(_series: set[str] | None) -> list[str]:
    report = verify_chain()
    if report.intact:
        return []
    where = f"event {report.broken_id}" if report.broken_id else "the chain's head"
    return [f"audit chain broken at {where} ({report.reason}), "
            f"{report.checked} events verified before it"]


_CHECKS = {"number_continuity": _continuity, "audit_chain": _audit_chain}
