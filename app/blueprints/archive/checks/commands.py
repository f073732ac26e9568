"""`flask archive check`: the four-property check from the command line (cron, a quarterly
inventory) over every item, or one (`--item <档号>`), with the current scheme. The run is kept
like a run started from the page, so its report can be read, signed and printed there. Prints
a summary; exits 1 when an item fails or an archive-wide blocking check does, 2 when the
档号 names no item or the run to resume does not exist."""

import json
import sys

import click
from sqlalchemy import select

from app.blueprints.archive import bp
from app.extensions import db
from app.models.archive import (
    ArchiveCheckResult,
    ArchiveCheckRun,
    ArchiveItem,
    CheckOutcome,
    CheckScope,
    CheckTrigger,
)
from app.services.archive.checks import runs, scopes

SHOWN = 50  # failures printed; the page and its export list them all


@bp.cli.command("check")
@click.option("--item", "number", help="Check only the item with this 档号.")
@click.option("--resume", "resume_id", type=int, help="Resume the interrupted run of this id.")
def check(number: str | None, resume_id: int | None) -> None:
    """Runs the four-property check; exits 1 when anything fails (see the module)."""
    run_id = resume_id if resume_id else _request(number)
    if db.session.get(ArchiveCheckRun, run_id) is None:
        click.echo(f"no check run #{run_id}", err=True)
        sys.exit(2)
    try:
        runs.run(run_id)
    except Exception as error:  # noqa: BLE001 (said, with how to go on)
        click.echo(f"check #{run_id} interrupted: {error}; resume it with "
                   f"`flask archive check --resume {run_id}`", err=True)
        sys.exit(1)
    check_run = db.session.get(ArchiveCheckRun, run_id)
    _summary(check_run)
    if check_run.conclusion == CheckOutcome.FAILED:
        sys.exit(1)


def _request(number: str | None) -> int:
    """A new run over every item, or the one with this 档号 (exits 2 when there is none)."""
    choice = scopes.ScopeChoice()
    if number:
        ids, unknown = scopes.items_by_number([number], None)
        if unknown:
            click.echo(f"no archive item {number}", err=True)
            sys.exit(2)
        choice = scopes.ScopeChoice(CheckScope.SELECTION, item_ids=ids)
    run_id = scopes.request(choice, None, CheckTrigger.COMMAND).id
    db.session.commit()
    return run_id


def _summary(check_run: ArchiveCheckRun) -> None:
    click.echo(f"four-property check #{check_run.id} (scheme #{check_run.scheme_id}): "
               f"{check_run.processed} items, {check_run.passed} passed, "
               f"{check_run.warned} with warnings, {check_run.failed} failed")
    rows = db.session.execute(
        select(ArchiveItem.archive_number, ArchiveCheckResult.outcome,
               ArchiveCheckResult.problems)
        .join(ArchiveItem, ArchiveItem.id == ArchiveCheckResult.item_id)
        .where(ArchiveCheckResult.run_id == check_run.id).order_by(ArchiveCheckResult.id)
        .limit(SHOWN + 1)).all()
    for number, outcome, problems in rows[:SHOWN]:
        found = "; ".join(f"{code}: {detail}" for code, detail in json.loads(problems))
        click.echo(f"  {outcome.value.upper():8} {number}  {found}")
    if len(rows) > SHOWN:
        click.echo(f"  … more on the run's page, /archive/checks/{check_run.id}")
    for code, blocking, detail in json.loads(check_run.findings or "[]"):
        click.echo(f"  {'FAILED' if blocking else 'WARNING':8} {code}: {detail}")
    click.echo(f"conclusion: {check_run.conclusion.value if check_run.conclusion else '-'}")
