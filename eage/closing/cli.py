"""`eage close-month YYYY-MM` and `eage invoice-fees YYYY` (SPEC §7)."""

from __future__ import annotations

import re

import click
from flask.cli import with_appcontext

from eage.core.services import parse_month


@click.command("close-month")
@click.argument("month")
@with_appcontext
def close_month_command(month: str) -> None:
    """Close a month that has ended: lock time, issue invoices and documents (idempotent)."""
    from eage.closing import services

    first = parse_month(month)
    if first is None:
        raise click.ClickException(f"month must be YYYY-MM, got {month!r}")
    from eage.payslips.services import PayslipError

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


@click.command("invoice-fees")
@click.argument("year")
@with_appcontext
def invoice_fees_command(year: str) -> None:
    """Issue the yearly membership-fee invoice per member (idempotent)."""
    from eage.invoicing import services

    if not re.fullmatch(r"\d{4}", year):
        raise click.ClickException(f"year must be YYYY, got {year!r}")
    try:
        issued = services.invoice_fees(int(year))
    except services.InvoicingError as exc:
        raise click.ClickException(str(exc)) from None
    for inv in issued:
        click.echo(f"{inv.number} {inv.member.code} {inv.total_incl_tax}")
    click.echo(
        f"issued {len(issued)} fee invoice(s)"
        if issued
        else f"fees {year} already invoiced: nothing changed"
    )
