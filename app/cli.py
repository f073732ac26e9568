"""Commands: flask --app wsgi demo-data | audit verify | bench-data | approvals verify |
payments verify."""

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.extensions import db
from app.models import Customer, User


def register(app: Flask) -> None:
    app.cli.add_command(demo_data)
    app.cli.add_command(audit_group)
    app.cli.add_command(bench_data)
    app.cli.add_command(approvals_group)
    app.cli.add_command(payments_group)


@click.command("demo-data")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when users already exist.")
def demo_data(if_empty: bool) -> None:
    """Creates the demo users (password: DEMO_PASSWORD), about 200 customers and their sales
    records."""
    from app.services.demo import loader as demo

    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("demo data: the database already has users; nothing done")
        return
    summary = demo.load(current_app.config["DEMO_PASSWORD"])
    db.session.commit()
    click.echo("demo data: " + ", ".join(f"{count} {kind}" for kind, count in summary.items()))


@click.group("audit")
def audit_group() -> None:
    """The audit trail."""


@audit_group.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Recomputes the hash chain; exits 1 naming the first broken row."""
    from app.services.core.audit import verify_chain

    report = verify_chain()
    if report.intact:
        click.echo(f"audit chain intact: {report.checked} events")
        return
    where = f"event id {report.broken_id}" if report.broken_id else "the tail (head mismatch)"
    click.echo(f"audit chain BROKEN at {where}: {report.reason} "
               f"({report.checked} events verified before it)", err=True)
    sys.exit(1)


@click.command("bench-data")
@with_appcontext
@click.option("--customers", default=200_000, show_default=True)
@click.option("--seed", default=7, show_default=True)
def bench_data(customers: int, seed: int) -> None:
    """Adds generated customers for benchmarks (bulk insert, same numbering and tokens)."""
    from app.services.demo.synthetic import bulk_customers

    existing = db.session.scalar(select(func.count()).select_from(Customer))
    added = bulk_customers(customers, seed=seed)
    db.session.commit()
    click.echo(f"bench data: {added} customers added ({existing} existed)")


@click.group("approvals")
def approvals_group() -> None:
    """Approvals and e-signatures."""


@approvals_group.command("verify")
@with_appcontext
def approvals_verify() -> None:
    """Lists every record whose signatures no longer hold (签字失效); exits 1 if any."""
    from app.services.approvals.verify import broken_requests, invalid_records

    findings = invalid_records() + broken_requests()
    for f in findings:
        click.echo(f"签字失效 {f.record_type} #{f.record_id} {f.label}: {'; '.join(f.problems)}")
    if findings:
        click.echo(f"{len(findings)} record(s) with invalid signatures", err=True)
        sys.exit(1)
    click.echo("all signatures valid")


@click.group("payments")
def payments_group() -> None:
    """Payments received (回款)."""


@payments_group.command("verify")
@with_appcontext
def payments_verify() -> None:
    """Checks every payment term's stored paid_total against the sum of its payments; lists
    each difference and exits 1 if any."""
    from app.services.sales.ledger.payments import paid_total_mismatches

    mismatches = paid_total_mismatches()
    for term_id, stored, paid in mismatches:
        click.echo(f"payment term #{term_id}: paid_total {stored} != payments {paid}")
    if mismatches:
        click.echo(f"{len(mismatches)} term(s) with a wrong paid_total", err=True)
        sys.exit(1)
    click.echo("all paid totals match the payments")
