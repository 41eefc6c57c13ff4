"""`eage close-month YYYY-MM` (SPEC §7)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from eage.closing import services
from eage.core.services import parse_month
from eage.payslips.services import PayslipError


@click.command("close-month")
@click.argument("month")
@with_appcontext
def close_month_command(month: str) -> None:
    """Close a month that has ended: lock time, issue invoices and documents (idempotent)."""
    first = parse_month(month)
    if first is None:
        raise click.ClickException(f"month must be YYYY-MM, got {month!r}")
    earlier = services.earlier_open_months(first)
    if earlier:  # said, not asked: the command never prompts (scripts run it)
        listed = ", ".join(f"{first.year}-{m.month:02d}" for m in earlier)
        click.echo(f"warning: earlier months of {first.year} not closed: {listed}", err=True)
    try:
        result = services.close_month(first)
    except PayslipError as exc:
        raise click.ClickException(f"month {month} not closed: payroll: {exc}") from None
    except services.CloseRefused as exc:
        for p in exc.problems:
            click.echo(f"{'error' if p.blocking else 'warning'}: {p.message}", err=True)
        raise click.ClickException(f"month {month} not closed: fix the errors above") from None
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for number in result.payslips + result.invoices + result.credit_notes:
        click.echo(number)
    click.echo(result.summary())
