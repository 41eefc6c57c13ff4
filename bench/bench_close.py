"""The month close of the large group (issue 17; issue 3 before it).

Loads the large demo (`eage load-demo --size large`: 500 employees, 1,000 members, five
years of time) into a fresh database, closes one month — payslips, invoices, credit notes,
time statements, their documents and entries — and prints: the close in seconds, documents
per second, and the ratio to the sum of the bare renders of the same documents (the very
items the close handed to its renderers, rendered again one after the other in this
process, in the same run). A close at 1.0 × the bare renders does nothing but render; with
2 cores the pool can bring it to about 0.5.

    .venv/bin/python bench/bench_close.py                       # SQLite, the large group
    .venv/bin/python bench/bench_close.py --members 100 --employees 50 --years 1  # quick
    .venv/bin/python bench/bench_close.py --database-url postgresql+psycopg://…/eage_bench
    .venv/bin/python bench/bench_close.py --profile close.prof --placeholder-documents

The PostgreSQL database is emptied first (every table dropped): never point it at real data.
``--bare-sample N`` renders N items of each renderer bare and extrapolates (0: all of them).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TODAY = date(2026, 12, 1)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--years", type=int, default=5, help="years of time loaded (≤ 2026)")
    parser.add_argument("--month", default="2026-11", help="month closed (YYYY-MM)")
    parser.add_argument("--database-url", default=None, help="PostgreSQL (emptied first)")
    parser.add_argument("--bare-sample", type=int, default=100)
    parser.add_argument("--profile", default=None, help="write a cProfile of the close here")
    parser.add_argument(
        "--placeholder-documents",
        action="store_true",
        help="skip rendering (placeholder files): what the close costs besides rendering",
    )
    return parser.parse_args()


class Recorder:
    """Wraps the renderers' pool: records what the close renders, for the bare renders."""

    def __init__(self, render_many: Callable[..., list[Any]], placeholder: bool) -> None:
        self.render_many = render_many
        self.placeholder = placeholder
        self.calls: list[tuple[Callable[[Any], Any], Sequence[Any]]] = []

    def __call__(self, func: Callable[[Any], Any], items: Sequence[Any], on_done: Any = None):  # type: ignore[no-untyped-def]
        self.calls.append((func, items))
        if self.placeholder:
            return self.render_many(_placeholder, [(func.__name__, i) for i in items], on_done)
        return self.render_many(func, items, on_done)


def _placeholder(job: tuple[str, Any]) -> Any:
    name, item = job
    files = {"pdf": b"%PDF-1.7 placeholder", "docx": b"PK placeholder", "xml": b"<x/>"}
    if name == "render_job":
        docs, stmt = item
        return [dict(files) for _ in docs], (dict(files) if stmt is not None else None)
    return dict(files)


def _fresh_schema(db: Any, url: str) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from eage.models import Base

    if url.startswith("postgresql"):
        Base.metadata.drop_all(db.engine)
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()


def _bare(recorder: Recorder, sample: int) -> tuple[float, int]:
    """Σ of the bare renders of every item the close rendered (or a sample, scaled)."""
    total, items = 0.0, 0
    for func, batch in recorder.calls:
        chosen = list(batch) if sample <= 0 else list(batch)[:sample]
        if not chosen:
            continue
        func(chosen[0])  # warm-up (templates, fonts)
        t0 = time.perf_counter()
        for item in chosen:
            func(item)
        total += (time.perf_counter() - t0) * len(batch) / len(chosen)
        items += len(batch)
    return total, items


def main() -> None:
    args = _arguments()
    tmp = tempfile.mkdtemp(prefix="eage-bench-close-")
    os.environ["EAGE_INSTANCE_PATH"] = tmp
    os.environ.pop("DATABASE_URL", None)
    url = args.database_url or f"sqlite:///{tmp}/bench.sqlite"

    from eage import create_app
    from eage.closing import services as closing
    from eage.demo import LargeSize, load_large
    from eage.extensions import db
    from eage.invoicing import documents

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "STORAGE_PATH": f"{tmp}/storage"})
    year, month_number = (int(p) for p in args.month.split("-"))
    month = date(year, month_number, 1)
    size = LargeSize(employees=args.employees, members=args.members, years=args.years)
    with app.app_context():
        _fresh_schema(db, url)
        t0 = time.perf_counter()
        load_large(year, today=TODAY, size=size, progress=lambda line: print(line, flush=True))
        print(f"load: {time.perf_counter() - t0:.1f} s ({db.engine.dialect.name})")

        recorder = Recorder(documents.render_many, args.placeholder_documents)
        documents.render_many = recorder
        profile = cProfile.Profile() if args.profile else None
        t0 = time.perf_counter()
        if profile:
            profile.enable()
        result = closing.close_month(month, today=TODAY)
        if profile:
            profile.disable()
            profile.dump_stats(args.profile)
        close_s = time.perf_counter() - t0
        documents.render_many = recorder.render_many
        docs = len(result.payslips) + len(result.invoices) + len(result.credit_notes)
        docs += result.statements
        print(
            f"close {args.month}: {close_s:.1f} s for {len(result.payslips)} payslips, "
            f"{len(result.invoices)} invoices, {len(result.credit_notes)} credit notes, "
            f"{result.statements} time statements ({os.cpu_count()} cores, "
            f"{db.engine.dialect.name})"
        )
        print(f"documents per second: {docs / close_s:.1f} (each in PDF and .docx)")
        if args.placeholder_documents:
            print("placeholder documents: no bare renders to compare with")
            return
        bare, items = _bare(recorder, args.bare_sample)
    how = "all" if args.bare_sample <= 0 else f"{args.bare_sample} of each renderer, scaled"
    print(
        f"bare renders of the same {items} render items, one after the other: {bare:.1f} s ({how})"
    )
    print(f"ratio close / Σ bare renders: {close_s / bare:.2f}")


if __name__ == "__main__":
    main()
