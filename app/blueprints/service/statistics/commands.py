"""`flask service statistics-rebuild`: recomputes the statistics' per-day figures from the
records (after a restore, or a load that went around the application)."""

import click

from app.blueprints.service import bp
from app.extensions import db
from app.services.service.statistics import days


@bp.cli.command("statistics-rebuild")
def statistics_rebuild() -> None:
    """Recomputes every day of the statistics summary from the records, in one transaction."""
    spanned = days.rebuild(db.session)
    db.session.commit()
    click.echo(f"statistics: {spanned} days recomputed")
