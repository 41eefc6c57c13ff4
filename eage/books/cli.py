"""`eage export-fec YYYY --output DIR` and `eage verify-integrity` (SPEC §7)."""

from __future__ import annotations

import re
from pathlib import Path

import click
from flask.cli import with_appcontext

from accounting.ledger import check_fec
from eage.books.errors import BooksError
from eage.books.fec import build_fec
from eage.books.integrity import verify_integrity


@click.command("export-fec")
@click.argument("year")
@click.option(
    "--output",
    "output",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write <SIREN>FEC<YYYYMMDD>.txt into.",
)
@with_appcontext
def export_fec_command(year: str, output: Path) -> None:
    """Write the year's FEC (art. A47 A-1 LPF), checked against the format before it is kept."""
    if not re.fullmatch(r"\d{4}", year):
        raise click.ClickException(f"year must be YYYY, got {year!r}")
    try:
        fec = build_fec(int(year))
    except BooksError as exc:
        raise click.ClickException(str(exc)) from None
    problems = check_fec(fec.data, fec.filename)
    if problems:
        for p in problems:
            click.echo(f"error: {p}", err=True)
        raise click.ClickException("the FEC does not pass its own format check: not written")
    output.mkdir(parents=True, exist_ok=True)
    path = output / fec.filename
    path.write_bytes(fec.data)
    click.echo(str(path))
    click.echo(f"{fec.entries} entries, {fec.lines} lines")


@click.command("verify-integrity")
@click.option("--no-files", is_flag=True, help="Skip re-hashing the stored documents.")
@with_appcontext
def verify_integrity_command(no_files: bool) -> None:
    """Re-walk the inalterability chain; exit status 1 when a link is broken."""
    report = verify_integrity(check_files=not no_files)
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        raise SystemExit(1)
