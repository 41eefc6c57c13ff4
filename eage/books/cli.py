"""`eage export-fec YYYY --output DIR`, `eage verify-integrity` (SPEC §7) and
`eage close-year YYYY` (SPEC §5 "Locks")."""

from __future__ import annotations

import re
from pathlib import Path

import click
from flask.cli import with_appcontext

from accounting.fec_check import audit_fec
from eage.books.errors import BooksError
from eage.books.fec import build_fec
from eage.books.integrity import verify_integrity
from eage.books.yearend import close_year


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
    """Write the year's FEC (art. A47 A-1 LPF), checked against every rule of the format
    (accounting/fec_check.py) before it is kept."""
    if not re.fullmatch(r"\d{4}", year):
        raise click.ClickException(f"year must be YYYY, got {year!r}")
    try:
        fec = build_fec(int(year))
    except BooksError as exc:
        raise click.ClickException(str(exc)) from None
    problems = audit_fec(fec.data, fec.filename, int(year))
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


@click.command("close-year")
@click.argument("year")
@with_appcontext
def close_year_command(year: str) -> None:
    """Close the fiscal year: book its result and write the opening entries (AN) of the next
    one. Final: a closed year cannot be reopened. Exit status 1 with every reason when
    refused."""
    if not re.fullmatch(r"\d{4}", year):
        raise click.ClickException(f"year must be YYYY, got {year!r}")
    try:
        end = close_year(int(year))
    except BooksError as exc:
        for message in exc.messages():
            click.echo(f"error: {message}", err=True)
        raise click.ClickException(f"year {year} not closed") from None
    click.echo(f"year {year} closed")
    click.echo(f"income (class 7): {end.income} EUR")
    click.echo(f"expenses (class 6): {end.expenses} EUR")
    click.echo(f"result: {end.result} EUR")
    lines = len(end.opening.lines) if end.opening else 0
    click.echo(f"opening entries of {int(year) + 1}: {lines} line(s)")
