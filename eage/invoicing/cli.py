"""`eage invoice-fees YYYY` (SPEC §7)."""

from __future__ import annotations

import re

import click
from flask.cli import with_appcontext

from eage.invoicing import services


@click.command("invoice-fees")
@click.argument("year")
@with_appcontext
def invoice_fees_command(year: str) -> None:
    """Issue the yearly membership-fee invoice per member (idempotent)."""
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
