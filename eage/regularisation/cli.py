"""`eage regularise YYYY` (SPEC §7)."""

from __future__ import annotations

import re

import click
from flask.cli import with_appcontext

from eage.regularisation import services


@click.command("regularise")
@click.argument("year")
@with_appcontext
def regularise_command(year: str) -> None:
    """Year-end regularisation: real cost − invoiced per member → invoice or credit note."""
    if not re.fullmatch(r"\d{4}", year):
        raise click.ClickException(f"year must be YYYY, got {year!r}")
    try:
        result = services.regularise(int(year))
    except services.RegularisationRefused as exc:
        for error in exc.errors:
            click.echo(f"error: {error}", err=True)
        raise click.ClickException(f"year {year} not regularised") from None
    for number in result.invoices + result.credit_notes:
        click.echo(number)
    click.echo(result.summary())
