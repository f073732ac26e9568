"""Commands: flask --app wsgi demo-data | audit verify | bench-data | approvals verify |
payments verify | users create | users bootstrap."""

import secrets
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
    app.cli.add_command(users_group)


@click.command("demo-data")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when users already exist.")
def demo_data(if_empty: bool) -> None:
    """Creates the demo users (password: DEMO_PASSWORD), about 200 customers, their sales
    records and a year of customer service."""
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


@click.group("users")
def users_group() -> None:
    """Accounts, under the same two-person rule as the administrators' pages."""


def _account(username: str, full_name: str, employee_no: str, department: str, role: str,
             clearance: int):
    from app.models import Department, DeptCode, Level, Role
    from app.services.core.users import UserData

    dept = db.session.scalar(select(Department).where(Department.code == DeptCode(department)))
    return UserData(username=username, full_name=full_name, employee_no=employee_no,
                    department_id=dept.id, role=Role(role), clearance=Level(clearance))


def _checked(data, password: str) -> None:
    """Exits 1 with the reasons when the account could not be made as given."""
    from app.services.core import accounts, users

    problems = [*users.data_problems(data).values(),
                *accounts.password_problems(password, data.username)]
    if problems:
        click.echo("\n".join(problems), err=True)
        sys.exit(1)


def _temporary_password() -> str:
    from app.services.core.accounts import password_problems

    while True:
        password = secrets.token_urlsafe(12)
        if not password_problems(password):
            return password


DEPARTMENTS = click.Choice(["sales", "service", "risk", "archive", "management", "it"])
ROLES = click.Choice(["staff", "manager", "gm", "archivist", "admin", "auditor"])


@users_group.command("create")
@with_appcontext
@click.argument("username")
@click.option("--full-name", required=True)
@click.option("--employee-no", required=True)
@click.option("--department", required=True, type=DEPARTMENTS)
@click.option("--role", default="staff", show_default=True, type=ROLES)
@click.option("--clearance", default=2, show_default=True, type=click.IntRange(1, 4),
              help="1 公开, 2 内部, 3 秘密, 4 机密")
@click.option("--by", "requester", required=True,
              help="The administrator who asks (the requester of any grant).")
def users_create(username, full_name, employee_no, department, role, clearance, requester):
    """Creates an account as the administrators' page does: 专员 and 内部 at most at once;
    any other role or a higher clearance is filed as a grant that the general manager (or a
    second administrator) approves in 我的待办. Prints the temporary password."""
    from app.models import Role
    from app.services.approvals import account_changes
    from app.services.approvals.engine import ApprovalError
    from app.services.core.accounts import find_user

    actor = find_user(requester)
    if actor is None or not actor.active or actor.role != Role.ADMIN:
        click.echo(f"--by {requester}: not an active administrator", err=True)
        sys.exit(1)
    data = _account(username, full_name, employee_no, department, role, clearance)
    password = _temporary_password()
    _checked(data, password)
    try:
        outcome = account_changes.create_account(data, password, actor)
    except ApprovalError as refusal:
        db.session.rollback()
        click.echo(refusal.message, err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"created {outcome.user.username} (staff, clearance "
               f"{int(outcome.user.clearance)}); temporary password: {password}")
    if outcome.grant:
        click.echo(f"grant #{outcome.grant.id} waits for approval: {role}, clearance {clearance}")


@users_group.command("bootstrap")
@with_appcontext
@click.option("--admin", "admin_username", required=True)
@click.option("--admin-name", required=True)
@click.option("--admin-employee-no", required=True)
@click.option("--gm", "gm_username", required=True)
@click.option("--gm-name", required=True)
@click.option("--gm-employee-no", required=True)
def users_bootstrap(admin_username, admin_name, admin_employee_no, gm_username, gm_name,
                    gm_employee_no):
    """On a database without accounts only: the first administrator (信息部, 内部) and the
    first general manager (总经理办公室, 机密), who approve each other's grants from then on.
    Prints their temporary passwords."""
    from app.services.approvals import account_changes
    from app.services.approvals.engine import ApprovalError

    admin = _account(admin_username, admin_name, admin_employee_no, "it", "admin", 2)
    gm = _account(gm_username, gm_name, gm_employee_no, "management", "gm", 4)
    passwords = (_temporary_password(), _temporary_password())
    for data, password in zip((admin, gm), passwords, strict=True):
        _checked(data, password)
    try:
        account_changes.bootstrap(admin, gm, passwords)
    except ApprovalError as refusal:
        db.session.rollback()
        click.echo(refusal.message, err=True)
        sys.exit(1)
    db.session.commit()
    for data, password in zip((admin, gm), passwords, strict=True):
        click.echo(f"created {data.username} ({data.role.value}); temporary password: {password}")
