"""`eage import-timesheets FILE [--dry-run] [--allow-duplicates]` (SPEC §7)."""

from __future__ import annotations

import getpass
import io
from pathlib import Path

import click
from flask.cli import with_appcontext

from accounting.formats import fr_date, hours_and_minutes
from accounting.problems import ProblemsError
from eage.tables import MAX_FILE_BYTES
from eage.timesheets.importer import read_entries
from eage.timesheets.services import (
    ALLOW_DUPLICATES,
    REFUSE_DUPLICATES,
    ImportResult,
    import_entries,
    sha256_of,
)


def _os_user() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name (a container without passwd entry)
        return "cli"


@click.command("import-timesheets")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file, write nothing.")
@click.option(
    "--allow-duplicates",
    is_flag=True,
    help="Import a file already imported, or rows identical to recorded entries.",
)
@with_appcontext
def import_timesheets_command(file: str, dry_run: bool, allow_duplicates: bool) -> None:
    """Import timesheet entries from CSV or XLSX, all or nothing.

    Columns: date, employee, member, service, hours, note (optional), exception (optional,
    "oui" for an authorised day beyond 10 h, at most 12 h). `date` as YYYY-MM-DD or
    DD/MM/YYYY; `hours` as 7.5, 7,5 or 7:30; `member` a member code or INTERNE; `,` or `;`
    separated, UTF-8 (BOM allowed).

    On any bad row nothing is imported, each bad row is printed as `row N: <reason>` and the
    exit status is 1. Row numbers are line numbers in the file: the header is row 1, the
    first entry row 2. A file already imported (same content), or rows identical to
    recorded entries (same date, employee, member, service, hours), are refused the same
    way unless --allow-duplicates; identical rows inside one new file are only warned about.
    """
    try:
        with Path(file).open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        raws = read_entries(io.BytesIO(data), filename=file)
    except OSError as exc:
        raise click.ClickException(f"{file}: {exc.strerror or exc}") from exc
    except ProblemsError as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    result = import_entries(
        raws,
        source=Path(file).name,
        dry_run=dry_run,
        channel="cli",
        file_hash=sha256_of(data),
        user_label=_os_user(),
        policy=ALLOW_DUPLICATES if allow_duplicates else REFUSE_DUPLICATES,
    )
    if result.problems:
        for p in result.problems:
            click.echo(f"row {p.row}: {p.message}")
        rows = len({p.row for p in result.problems})
        click.echo(f"{rows} bad row(s) out of {len(raws)}: nothing imported", err=True)
        raise SystemExit(1)
    for keys in result.repeats:
        same = ", ".join(str(k) for k in keys)
        click.echo(f"warning: rows {same} are identical (all imported)", err=True)
    if result.blocked:
        _refuse_duplicates(result)
    assert result.summary is not None
    if dry_run:
        click.echo(f"dry run: {result.summary.count} entries would be imported")
    else:
        click.echo(f"imported {result.summary.count} entries")


def _refuse_duplicates(result: ImportResult) -> None:
    """Say why nothing is imported (the file already imported, rows already recorded) and
    exit 1."""
    for log in result.previous:
        click.echo(
            f"fichier déjà importé le {fr_date(log.created_at.date())}"
            f" à {log.created_at:%H:%M} UTC par {log.user_label}"
            f" ({log.file_name}, {log.entry_count} saisies)"
        )
    for d in result.duplicates:
        click.echo(
            f"row {d.key}: saisie identique à une saisie existante"
            f" ({fr_date(d.day)}, {d.employee}, {d.member}, {d.activity},"
            f" {hours_and_minutes(d.minutes)})"
        )
    click.echo("duplicates: nothing imported (--allow-duplicates to import them anyway)", err=True)
    raise SystemExit(1)
