"""The `eage` commands (SPEC §7), registered on the app by create_app: the general ones here,
each area's next to its services."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select

from eage import audit, backup, jobs
from eage.auth.emails import InvalidEmail, normalise_email
from eage.auth.passwords import password_problems
from eage.bank.cli import import_bank_command
from eage.books.cli import close_year_command, export_fec_command, verify_integrity_command
from eage.closing.cli import close_month_command
from eage.demo import credentials, load_demo, load_large, real_data
from eage.extensions import db
from eage.invoicing.cli import invoice_fees_command
from eage.models import ROLES, ApiToken, Member, Organisation, User
from eage.models.users import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS
from eage.payslips.cli import (
    salary_tax_command,
    settle_payroll_command,
    simulate_payslip_command,
)
from eage.regularisation.cli import regularise_command
from eage.reminders.cli import send_reminders_command
from eage.sepa.cli import sepa_debits_command, sepa_salaries_command
from eage.timesheets.cli import import_timesheets_command


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the schema (Alembic migrations)."""
    upgrade()
    click.echo("database is up to date")


@click.command("load-demo")
@click.option("--year", type=int, default=None, help="Fiscal year to load (default: current year).")
@click.option(
    "--no-time",
    is_flag=True,
    help="Reference data only: no timesheets, no closed months (for scripts and tests).",
)
@click.option(
    "--if-empty", is_flag=True, help="Only when the database holds no group yet (make run)."
)
@click.option("--force", is_flag=True, help="Load it even into a database that holds real data.")
@click.option(
    "--size",
    type=click.Choice(["normal", "large"]),
    default="normal",
    show_default=True,
    help="large: 500 employees, 1,000 members and five years of time (about 1.1 million "
    "entries, seeded), for benchmarks; its past months are NOT closed (closing 60 months "
    "of 1,000 members would take hours: bench/bench_close.py closes one).",
)
@with_appcontext
def load_demo_command(
    year: int | None, no_time: bool, if_empty: bool, force: bool, size: str
) -> None:
    """Load the demo group as it stands today (idempotent): its time to date and the months
    that have ended closed, invoiced and partly paid. Refused on a database holding real
    data: the demo users' passwords are public."""
    if if_empty and db.session.scalar(select(func.count(Organisation.id))):
        click.echo("database already holds a group: demo not loaded")
        return
    found = real_data()
    if found and not force:
        raise click.ClickException(
            "this database holds data that is not the demo's ("
            + "; ".join(found)
            + "): the demo would add users whose passwords are public. "
            "Nothing loaded; use --force to load it anyway."
        )
    printed: list[str] = []

    def show(line: str) -> None:
        printed.append(line)
        click.echo(line)

    if size == "large":
        lines = load_large(year, with_time=not no_time, progress=show)
    else:
        lines = load_demo(year, with_time=not no_time, close_past=not no_time, progress=show)
    for line in lines[len(printed) :]:
        click.echo(line)
    click.echo("")
    click.echo("Demo users (e-mail / password):")
    for email, role, password in credentials():
        click.echo(f"  {role:<11} {email:<36} {password}")


def _read_password() -> str:
    """Password from stdin, typed twice (a tty prompts; a pipe gives two lines)."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    lines = sys.stdin.read().splitlines()
    if len(lines) < 2:
        raise click.ClickException("password must be given twice on stdin (two lines)")
    if lines[0] != lines[1]:
        raise click.ClickException("the two passwords differ")
    return lines[0]


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option(
    "--member", "member_code", default=None, help="Member code (required for role member)."
)
@click.option("--name", default=None)
@with_appcontext
def create_user_command(email: str, role: str, member_code: str | None, name: str | None) -> None:
    """Create a user; the password is read twice from stdin (same rules as the web forms)."""
    try:
        email = normalise_email(email)
    except InvalidEmail as exc:
        raise click.ClickException(f"invalid e-mail address: {email} ({exc})") from exc
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise click.ClickException(f"user {email} already exists")
    member = None
    if role == "member" and not member_code:
        raise click.ClickException("--member CODE is required for role member")
    if member_code:
        member = db.session.scalar(select(Member).where(Member.code == member_code.upper()))
        if member is None:
            raise click.ClickException(f"unknown member code: {member_code}")
    password = _read_password()
    problems = password_problems(password, email=email)
    if problems:
        raise click.ClickException("password refused: " + " ".join(problems))
    user = User(email=email, role=role, member=member, name=name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "create",
        "user",
        user.id,
        after={"email": email, "role": role, "member": member.code if member else None},
    )
    db.session.commit()
    click.echo(f"created user {email} ({role}{', ' + member.code if member else ''})")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run the jobs (month close…) queued on Redis when JOB_RUNNER=rq (REDIS_URL)."""
    jobs.work(current_app._get_current_object(), burst=burst)  # type: ignore[attr-defined]


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the archive into.",
)
@with_appcontext
def backup_command(output: Path) -> None:
    """Write one archive: the database, the stored documents and a manifest of hashes."""
    try:
        archive = backup.backup(output)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backup written: {archive}")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(archive: Path) -> None:
    """Restore an archive of `eage backup` into an EMPTY instance, then migrate it."""
    try:
        manifest = backup.restore(archive)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"restored {len(manifest['files'])} file(s) of {manifest['created_at']} "
        f"(revision {manifest['alembic_revision']}); database is up to date"
    )


@click.command("create-token")
@click.argument("email")
@click.option(
    "--days",
    type=click.IntRange(1, MAX_TOKEN_DAYS),
    default=DEFAULT_TOKEN_DAYS,
    show_default=True,
    help="Days until the token expires.",
)
@with_appcontext
def create_token_command(email: str, days: int) -> None:
    """Create an API token for a user; the token is printed on the last line."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"unknown user: {email}")
    row, token = ApiToken.issue(user, days=days)
    db.session.add(row)
    db.session.flush()
    audit.record(
        "create",
        "api_token",
        row.id,
        after={"user": user.email, "prefix": row.prefix, "expires_at": row.expires_at.isoformat()},
    )
    db.session.commit()
    click.echo(
        f"token for {user.email} ({user.role}), valid until {row.expires_at:%Y-%m-%d %H:%M} UTC;"
        " store it now, it is not shown again:"
    )
    click.echo(token)


@click.command("disable-totp")
@click.argument("email")
@with_appcontext
def disable_totp_command(email: str) -> None:
    """Turn off a user's two-factor sign-in (a lost phone) and end their sessions."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"unknown user: {email}")
    if not user.totp_secret:
        raise click.ClickException(f"{user.email} has no two-factor sign-in")
    user.totp_secret = None
    user.end_sessions()
    audit.record("update", "user", user.id, summary=f"{user.email} (2FA disabled from the CLI)")
    db.session.commit()
    click.echo(f"two-factor sign-in disabled for {user.email}")


def register_commands(app: Flask) -> None:
    for cmd in (
        init_db_command,
        load_demo_command,
        create_user_command,
        create_token_command,
        disable_totp_command,
        import_timesheets_command,
        close_month_command,
        invoice_fees_command,
        simulate_payslip_command,
        settle_payroll_command,
        salary_tax_command,
        regularise_command,
        export_fec_command,
        verify_integrity_command,
        close_year_command,
        worker_command,
        backup_command,
        restore_command,
        sepa_debits_command,
        sepa_salaries_command,
        import_bank_command,
        send_reminders_command,
    ):
        app.cli.add_command(cmd)
