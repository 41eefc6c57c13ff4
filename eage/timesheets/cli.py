"""`eage import-timesheets FILE [--dry-run]` (SPEC §7)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from accounting.problems import ProblemsError
from eage.timesheets.importer import read_entries
from eage.timesheets.services import import_entries


@click.command("import-timesheets")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file, write nothing.")
@with_appcontext
def import_timesheets_command(file: str, dry_run: bool) -> None:
    """Import timesheet entries from CSV or XLSX, all or nothing.

    Columns: date, employee, member, service, hours, note (optional), exception (optional,
    "oui" for an authorised day beyond 10 h, at most 12 h). `date` as YYYY-MM-DD or
    DD/MM/YYYY; `hours` as 7.5, 7,5 or 7:30; `member` a member code or INTERNE; `,` or `;`
    separated, UTF-8 (BOM allowed).

    On any bad row nothing is imported, each bad row is printed as `row N: <reason>` and the
    exit status is 1. Row numbers are line numbers in the file: the header is row 1, the
    first entry row 2.
    """
    try:
        raws = read_entries(file)
    except ProblemsError as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    result = import_entries(raws, source=Path(file).name, dry_run=dry_run, channel="cli")
    if result.problems:
        for p in result.problems:
            click.echo(f"row {p.row}: {p.message}")
        rows = len({p.row for p in result.problems})
        click.echo(f"{rows} bad row(s) out of {len(raws)}: nothing imported", err=True)
        raise SystemExit(1)
    assert result.summary is not None
    if dry_run:
        click.echo(f"dry run: {result.summary.count} entries would be imported")
    else:
        click.echo(f"imported {result.summary.count} entries")
