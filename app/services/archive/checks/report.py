"""A run's report: what it covered, each check item with its failures, the archive-wide
findings and the conclusion; its failure list (only the items within the reader's clearance);
and its signature by the archivist, who re-enters their password. The signature binds the
SHA-256 of the report's content (summary and every result row), recomputed whenever the report
is shown: a result changed after signing makes it 签字失效."""

import hashlib
import json
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import User
from app.models.archive import (
    ArchiveCheckResult,
    ArchiveCheckRun,
    ArchiveItem,
    CheckOutcome,
    CheckRunStatus,
)
from app.models.base import utcnow
from app.services.approvals.engine import verify_signer
from app.services.archive.checks import scheme
from app.services.archive.checks.engine import Finding
from app.services.archive.checks.scopes import CheckRefused
from app.services.core import audit
from app.services.core.audit import canonical_json
from app.services.core.audit_labels import object_type_label
from app.services.core.loading import load_related
from app.services.core.pagination import Page, Sort, counted_page

PAGE_LOADS = (selectinload(ArchiveCheckRun.scheme), selectinload(ArchiveCheckRun.department),
              selectinload(ArchiveCheckRun.requested_by), selectinload(ArchiveCheckRun.signed_by))
SORT = Sort(ArchiveCheckResult.id, False)
_R = ArchiveCheckResult


@dataclass
class Line:
    """One check item of the scheme as the run applied it, with its failures."""

    setting: scheme.Setting
    failures: int


@dataclass
class Report:
    run: ArchiveCheckRun
    lines: list[Line]
    findings: list[Finding]
    signature: str  # "unsigned", "valid" or "invalid" (签字失效)


def report(check_run: ArchiveCheckRun) -> Report:
    """The run with what its page and print show (loaded, so the template never queries)."""
    load_related([check_run], *PAGE_LOADS)
    tallies = json.loads(check_run.tallies or "{}")
    findings = [Finding(code, blocking, detail)
                for code, blocking, detail in json.loads(check_run.findings or "[]")]
    wide = {finding.code for finding in findings}
    lines = [Line(s, tallies.get(s.code, 0) if not s.check.archive_wide
                  else int(s.code in wide)) for s in scheme.settings(check_run.scheme)]
    return Report(check_run, lines, findings, signature_state(check_run))


def signature_state(check_run: ArchiveCheckRun) -> str:
    if not check_run.signed_hash:
        return "unsigned"
    return "valid" if content_hash(check_run) == check_run.signed_hash else "invalid"


def content_hash(check_run: ArchiveCheckRun) -> str:
    """SHA-256 of the summary and every result row of the run, in order (streamed)."""
    summary = {
        "run": check_run.id, "scheme": check_run.scheme_id, "scope": check_run.scope,
        "department": check_run.department_id, "record_type": check_run.record_type,
        "period": [check_run.filed_from, check_run.filed_to], "selection": check_run.selection,
        "counts": [check_run.total, check_run.processed, check_run.passed, check_run.warned,
                   check_run.failed],
        "tallies": json.loads(check_run.tallies or "{}"),
        "findings": json.loads(check_run.findings or "[]"),
        "conclusion": check_run.conclusion, "finished_at": check_run.finished_at,
    }
    digest = hashlib.sha256(canonical_json(summary).encode())
    rows = db.session.execute(select(_R.item_id, _R.outcome, _R.problems)
                              .where(_R.run_id == check_run.id).order_by(_R.id)
                              .execution_options(yield_per=2000))
    for item_id, outcome, problems in rows:
        digest.update(f"\n{item_id}|{outcome.value}|{problems}".encode())
    return digest.hexdigest()


def sign(check_run: ArchiveCheckRun, signer: User, password: str) -> str:
    """Signs the finished report with the signer's password and returns the content hash
    signed; refuses a run still going and one already signed. A wrong password raises the
    approvals' ApprovalError (the caller commits its count)."""
    if check_run.status != CheckRunStatus.DONE:
        raise CheckRefused(_("检测尚未完成，报告不能签署。"))
    if check_run.signed_by_id:
        raise CheckRefused(_("该检测报告已经签署。"))
    verify_signer(signer, password)
    signed = content_hash(check_run)
    taken = db.session.execute(update(ArchiveCheckRun.__table__).where(
        ArchiveCheckRun.id == check_run.id, ArchiveCheckRun.signed_by_id.is_(None))
        .values(signed_by_id=signer.id, signed_at=utcnow(), signed_hash=signed))
    if taken.rowcount != 1:
        raise CheckRefused(_("该检测报告已经签署。"))
    audit.record("archive_check_signed", check_run, actor=signer, changes={"report_hash": signed})
    return signed


@dataclass(frozen=True)
class FailureRow:
    """One item of the failure list: the item and each failed check's label and detail."""

    result: ArchiveCheckResult
    problems: list[tuple[str, str]]


def failures(check_run: ArchiveCheckRun, viewer: User, outcome: str | None = None) -> Select:
    """The run's results of items within the viewer's clearance, of one outcome when given."""
    query = (select(ArchiveCheckResult).join(ArchiveItem, ArchiveItem.id == _R.item_id)
             .where(_R.run_id == check_run.id,
                    ArchiveItem.confidentiality <= viewer.clearance)
             .options(selectinload(_R.item)))
    if outcome in (CheckOutcome.FAILED.value, CheckOutcome.WARNING.value):
        query = query.where(_R.outcome == outcome)
    return query


def failure_page(query: Select, after: str | None, before: str | None
                 ) -> tuple[Page, int, bool]:
    """One page of the failure list in item order, with its capped count; rows as FailureRow."""
    page, total, capped = counted_page(query, ArchiveCheckResult, SORT, after=after,
                                       before=before)
    page.rows = [failure_row(result) for result in page.rows]
    return page, total, capped


def failure_row(result: ArchiveCheckResult) -> FailureRow:
    labels = {check.code: str(check.label) for check in scheme.CHECKS}
    return FailureRow(result, [(labels.get(code, code), detail)
                               for code, detail in json.loads(result.problems)])


def hidden_count(check_run: ArchiveCheckRun, viewer: User) -> int:
    """How many results are of items above the viewer's clearance (said, never shown)."""
    return db.session.scalar(select(func.count()).select_from(_R)
                             .join(ArchiveItem, ArchiveItem.id == _R.item_id)
                             .where(_R.run_id == check_run.id,
                                    ArchiveItem.confidentiality > viewer.clearance))


def export_table(query: Select):
    """(headers, rows) of the whole failure list for Excel."""
    headers = [_("档号"), _("题名"), _("记录类型"), _("密级"), _("结论"), _("检测项目"), _("问题")]
    rows = []
    for result in db.session.scalars(query.order_by(_R.id)):
        for label, detail in failure_row(result).problems:
            item = result.item
            rows.append((item.archive_number, item.title, object_type_label(item.record_type),
                         str(item.confidentiality.label), str(result.outcome.label),
                         label, detail))
    return headers, rows
