"""Benchmark: import 100,000 timesheet rows (parse + validate + insert), next to pandas.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--keep]

Builds a throw-away instance (SQLite in a temp dir, EAGE_INSTANCE_PATH pointed there), the
demo group plus synthetic employees, and a valid CSV spread over 2026 (each employee works
8 h a weekday in 24-minute entries, so the 10 h/day and 48 h/week rules hold). Prints the
time of the full import, rows/s, and the ratio to `pandas.read_csv` of the same file.
Goal: under 10 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ENTRY_MINUTES = 24
ENTRIES_PER_DAY = 20  # 20 × 24 min = 8 h a day, 40 h a week
HOUR_SPELLINGS = ("0.4", "0,4", "0:24", "0h24")


def build_instance(tmp: Path, employees: int):  # type: ignore[no-untyped-def]
    os.environ["EAGE_INSTANCE_PATH"] = str(tmp)
    from flask_migrate import upgrade

    from eage import create_app
    from eage.demo import load_demo
    from eage.extensions import db
    from eage.models import Contract, Employee

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite'}", "SECRET_KEY": "bench"}
    )
    with app.app_context():
        import logging

        logging.getLogger("alembic").setLevel(logging.WARNING)
        upgrade()
        load_demo(2026, today=date(2026, 12, 31), with_time=False)
        for i in range(employees):
            e = Employee(
                code=f"BENCH{i:02d}", first_name="Salarié", last_name=f"n°{i}", job="Gestionnaire"
            )
            e.contracts.append(
                Contract(
                    start_date=date(2025, 1, 1),
                    weekly_hours=Decimal("35"),
                    monthly_gross=Decimal("2200.00"),
                )
            )
            db.session.add(e)
        db.session.commit()
    return app


def write_csv(path: Path, rows: int, employees: int, members: list[str]) -> None:
    services = ("GESTION", "PAIE", "RESEAU")
    day = date(2026, 1, 1)
    written = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["date", "employee", "member", "service", "hours", "note"])
        while written < rows:
            if day.weekday() < 5:
                text_iso = day.isoformat()
                text_fr = day.strftime("%d/%m/%Y")
                for e in range(employees):
                    for k in range(ENTRIES_PER_DAY):
                        if written >= rows:
                            break
                        member = members[(e + k) % len(members)]
                        service = services[(e + k) % 3]
                        if member == "INTERNE" and k % 4 == 0 and k:
                            service = "FORMATION"
                        out.writerow(
                            [
                                text_iso if k % 2 else text_fr,
                                f"BENCH{e:02d}",
                                member,
                                service,
                                HOUR_SPELLINGS[k % 4],
                                "réunion" if k % 10 == 0 else "",
                            ]
                        )
                        written += 1
            day += timedelta(days=1)
            if day.year != 2026:
                raise SystemExit("not enough days in 2026: raise the number of employees")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--employees", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the temp instance")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="eage-bench-"))
    try:
        app = build_instance(tmp, args.employees)
        from sqlalchemy import func, select

        from eage.extensions import db
        from eage.models import Member, TimesheetEntry
        from eage.timesheets.importer import read_entries
        from eage.timesheets.services import import_entries
        from eage.timesheets.validation import validate

        with app.app_context():
            members = [*sorted(db.session.scalars(select(Member.code))), "INTERNE"]
        path = tmp / "timesheets.csv"
        write_csv(path, args.rows, args.employees, members)
        size = path.stat().st_size / 1e6

        import pandas as pd

        t0 = time.perf_counter()
        frame = pd.read_csv(path)
        t_pandas = time.perf_counter() - t0
        assert len(frame) == args.rows

        with app.app_context():
            # Stages, for the record (validation is re-run by the real import below).
            t0 = time.perf_counter()
            raws = read_entries(path)
            t_read = time.perf_counter() - t0
            t0 = time.perf_counter()
            checked = validate(raws)
            t_validate = time.perf_counter() - t0
            assert not checked.problems, checked.problems[:5]

            # The real thing, timed end to end: read + parse + validate + insert + commit.
            from eage.timesheets.parsing import _parse_date_text, _parse_minutes_text

            _parse_date_text.cache_clear()
            _parse_minutes_text.cache_clear()
            t0 = time.perf_counter()
            result = import_entries(read_entries(path), source=path.name, channel="bench")
            t_import = time.perf_counter() - t0
            assert result.ok and result.summary is not None
            stored = db.session.scalar(select(func.count(TimesheetEntry.id)))
            assert stored == args.rows, stored

        rate = args.rows / t_import
        print(
            f"file: {args.rows:,} rows, {size:.1f} MB, {args.employees} employees, "
            f"{len(members)} members incl. INTERNE"
        )
        print(
            f"pandas.read_csv alone:      {t_pandas:6.2f} s  ({args.rows / t_pandas:,.0f} rows/s)"
        )
        print(f"  stage: read CSV → rows    {t_read:6.2f} s")
        print(f"  stage: parse + validate   {t_validate:6.2f} s")
        print(
            f"full import (read, parse, validate, insert, commit):"
            f" {t_import:6.2f} s  ({rate:,.0f} rows/s)"
        )
        print(f"ratio full import / pandas.read_csv: {t_import / t_pandas:.1f}×")
        print(f"goal < 10 s: {'met' if t_import < 10 else 'MISSED'}")
    finally:
        if args.keep:
            print(f"instance kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
