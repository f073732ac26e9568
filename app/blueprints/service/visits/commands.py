"""`flask service visits-daily`: the return visits' daily job, for cron where no Huey periodic
task runs it (services.service.visits.jobs)."""

import click

from app.blueprints.service import bp
from app.services.service.visits import jobs


@bp.cli.command("visits-daily")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as of this day (default: today, local).")
def visits_daily(today) -> None:
    """Tops the delivery schedules up to the horizon; in December, the demand surveys."""
    result = jobs.daily(today.date() if today else None)
    click.echo(f"return visits: {result.scheduled} scheduled, {result.surveys} surveys")
