"""One year of cost allocation over 1,000,000 timesheet rows (issue 5).

A synthetic large group — 500 employees, 1,000 members, 3 services — with a year (2026) of
time, 12 issued payslips per employee, overhead expenses, subsidies and monthly invoices.
Times `GET /api/v1/allocation?from=2026-01&to=2026-12` through the Flask test client with a
manager's token, and the bare SQL `SELECT member_id, service_id, SUM(minutes) … GROUP BY
member_id, service_id` over the same rows; prints both and their ratio (goal: ≤ 2×), first for
the year still open (the API reads the timesheet rows), then once its 12 months are closed
(the close keeps each month's time grouped: the API reads those summaries), then with December
reopened (summaries for 11 months, timesheet rows for one). Runs on
SQLite (a temporary file) and on PostgreSQL (a throwaway database created and dropped here,
never the `test` database).

    .venv/bin/python bench/bench_allocation.py [--rows 1000000] [--spread portfolio|uniform]
        [--only sqlite|postgresql] [--pg-admin postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

`--spread portfolio` (default, the realistic case): each employee works for a portfolio of 20
members (each member is served by about 10 employees). `--spread uniform`: any employee for
any member, the worst case for step 1 of the allocation (one group per row, nearly).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accounting.money import CENT, ROUND_HALF_EVEN

YEAR = 2026
EMPLOYEES = 500
MEMBERS = 1000
SERVICES = ("GESTION", "PAIE", "RESEAU")
PORTFOLIO = 20
BARE_SQL = (
    "SELECT member_id, service_id, SUM(minutes) FROM timesheet_entry "
    "WHERE date >= :start AND date < :end GROUP BY member_id, service_id"
)


def best_of(n: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def working_days(year: int) -> list[date]:
    d, out = date(year, 1, 1), []
    while d.year == year:
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(days=1)
    return out


def timesheet_rows(
    n: int,
    spread: str,
    emp_ids: list[int],
    member_ids: list[int],
    service_ids: list[int],
    *,
    seed: int = 5,
) -> list[tuple[Any, ...]]:
    """(date, employee_id, member_id, service_id, absence_code, minutes) × n; ~8 % internal."""
    rng = random.Random(seed)
    days = working_days(YEAR)
    portfolios = {e: rng.sample(member_ids, PORTFOLIO) for e in emp_ids}
    main_service = {e: service_ids[i % len(service_ids)] for i, e in enumerate(emp_ids)}
    rows = []
    append = rows.append
    randrange, random_ = rng.randrange, rng.random
    n_emp, n_days, n_mem = len(emp_ids), len(days), len(member_ids)
    for i in range(n):
        emp = emp_ids[i % n_emp]
        day = days[randrange(n_days)]
        minutes = 15 * (1 + randrange(16))
        r = random_()
        if r < 0.05:
            append((day, emp, None, None, "CP", 420))
        elif r < 0.08:
            append((day, emp, None, main_service[emp], None, minutes))
        else:
            member = (
                portfolios[emp][randrange(PORTFOLIO)]
                if spread == "portfolio"
                else member_ids[randrange(n_mem)]
            )
            service = main_service[emp] if r < 0.7 else service_ids[randrange(3)]
            append((day, emp, member, service, None, minutes))
    return rows


def load(app: Any, n_rows: int, spread: str) -> dict[str, Any]:
    """Schema through the migrations, then the synthetic group, inserted in bulk."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, select, text

    from eage.extensions import db
    from eage.models import (
        ApiToken,
        Employee,
        Expense,
        Member,
        OperatingIncome,
        Payslip,
        Service,
        User,
    )

    upgrade()
    dialect = db.engine.dialect.name
    db.session.execute(insert(Service), [{"code": c, "label": c.title()} for c in SERVICES])
    db.session.execute(
        insert(Member),
        [
            {
                "code": f"M{i:04d}",
                "name": f"Structure {i}",
                "legal_form": "Association loi 1901",
                "joined_on": date(2020, 1, 1),
                "vat_regime": "exempt_261B",
                "payment_terms_days": 30,
                "previous_year_gross_payroll": Decimal("0"),
            }
            for i in range(MEMBERS)
        ],
    )
    db.session.execute(
        insert(Employee),
        [
            {
                "code": f"E{i:03d}",
                "first_name": "Prénom",
                "last_name": f"Nom{i}",
                "job": "Chargé·e",
                "pas_rate": Decimal("0"),
            }
            for i in range(EMPLOYEES)
        ],
    )
    service_ids = list(db.session.scalars(select(Service.id).order_by(Service.code)))
    member_ids = list(db.session.scalars(select(Member.id).order_by(Member.code)))
    emp_ids = list(db.session.scalars(select(Employee.id).order_by(Employee.code)))

    # 12 issued payslips per employee (only the totals matter to the allocation).
    zero = Decimal("0.00")
    slips = []
    for k, e in enumerate(emp_ids):
        gross = Decimal(1800 + (k % 40) * 25)
        employer = (gross * Decimal("0.42")).quantize(CENT, rounding=ROUND_HALF_EVEN)
        for m in range(1, 13):
            slips.append(
                dict(
                    number=f"BP-{YEAR}-{m:02d}-E{k:03d}",
                    employee_id=e,
                    month=f"{YEAR}-{m:02d}",
                    period_start=date(YEAR, m, 1),
                    period_end=date(YEAR, m, 28),
                    payment_date=date(YEAR, m, 28),
                    issue_date=date(YEAR, m, 28),
                    status="issued",
                    gross=gross,
                    employee_contributions=zero,
                    employer_contributions=employer,
                    rgdu=zero,
                    reductions=zero,
                    net_social=gross,
                    net_before_tax=gross,
                    net_taxable=gross,
                    tax_withheld=zero,
                    net_paid=gross,
                    employer_cost=gross + employer,
                    pas_rate=zero,
                    contract_hours=Decimal("151.67"),
                    extra_hours=zero,
                    unpaid_absence_hours=zero,
                    worked_hours=Decimal("151.67"),
                    earnings=[],
                    lines=[],
                    rgdu_coefficient=Decimal("0"),
                    rgdu_ytd={},
                    extra_hours_by_week={},
                    paid_leave={},
                    employee_snapshot={},
                    employer_snapshot={},
                    reference_model="bench",
                )
            )
    db.session.execute(insert(Payslip), slips)
    db.session.execute(
        insert(Expense),
        [
            {
                "date": date(YEAR, m, 5),
                "account": "613200",
                "label": "Loyer",
                "amount": Decimal("4500.00"),
            }
            for m in range(1, 13)
        ],
    )
    db.session.execute(
        insert(OperatingIncome),
        [
            {
                "date": date(YEAR, 3, 15),
                "account": "740000",
                "label": "Subvention",
                "amount": Decimal("25000.00"),
            }
        ],
    )
    user = User(email="bench@example.org", role="manager", name="Bench")
    user.set_password("bench-bench-bench")
    db.session.add(user)
    db.session.flush()
    token_row, token = ApiToken.issue(user)
    db.session.add(token_row)
    db.session.commit()

    t0 = time.perf_counter()
    rows = timesheet_rows(n_rows, spread, emp_ids, member_ids, service_ids)
    gen_s = time.perf_counter() - t0
    now = datetime(2026, 11, 28, 12, 0)
    t0 = time.perf_counter()
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        if dialect == "postgresql":
            with cur.copy(
                "COPY timesheet_entry (date, employee_id, member_id, service_id, absence_code,"
                " minutes, authorised_exception, created_at) FROM STDIN"
            ) as copy:
                for r in rows:
                    copy.write_row((*r, False, now))
        else:
            cur.executemany(
                "INSERT INTO timesheet_entry (date, employee_id, member_id, service_id,"
                " absence_code, minutes, authorised_exception, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                [(r[0].isoformat(), *r[1:], now.isoformat(sep=" ")) for r in rows],
            )
        raw.commit()
    finally:
        raw.close()
    insert_s = time.perf_counter() - t0
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return {"token": token, "generate_s": gen_s, "insert_s": insert_s, "dialect": dialect}


def close_year() -> float:
    """Lock the 12 months the way the close does for their time: the lock and its grouped
    minutes (`eage.timesheets.summary.summarise_month`, what `close_month` calls) — without
    the close's payslips and invoices, which the bench writes directly. Returns seconds."""
    from eage.extensions import db
    from eage.models import MonthLock
    from eage.timesheets import summary

    t0 = time.perf_counter()
    for m in range(1, 13):
        lock = MonthLock(month=f"{YEAR}-{m:02d}")
        db.session.add(lock)
        summary.summarise_month(lock)
    db.session.commit()
    return time.perf_counter() - t0


def reopen_december() -> None:
    """December reopened (its summary dropped with its lock, as reopen_month does)."""
    from eage.extensions import db
    from eage.models import MonthLock
    from eage.timesheets import summary

    lock = db.session.get(MonthLock, f"{YEAR}-12")
    summary.drop_month(lock)
    db.session.delete(lock)
    db.session.commit()


def measure(app: Any, token: str) -> dict[str, Any]:
    from sqlalchemy import text

    from eage.allocation import services
    from eage.extensions import db

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/allocation?from={YEAR}-01&to={YEAR}-12"
    start, end = date(YEAR, 1, 1), date(YEAR + 1, 1, 1)

    def api() -> Any:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        return response.get_json()

    def bare() -> Any:
        return db.session.execute(text(BARE_SQL), {"start": start, "end": end}).all()

    def minutes_query() -> Any:
        from sqlalchemy import func, select

        from eage.models import TimesheetEntry as t

        return db.session.execute(
            select(t.employee_id, t.member_id, t.service_id, t.absence_code, func.sum(t.minutes))
            .where(t.date >= start, t.date < end)
            .group_by(t.employee_id, t.member_id, t.service_id, t.absence_code)
        ).all()

    api()  # warm-up (imports, caches, the database's pages)
    bare()
    api_s, payload = best_of(3, api)
    bare_s, bare_rows = best_of(3, bare)
    group_s, groups = best_of(3, minutes_query)
    page_client = app.test_client()
    from eage.extensions import db as _db
    from eage.models import User

    user = _db.session.query(User).filter_by(email="bench@example.org").one()
    with page_client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    page_s, page = best_of(3, lambda: page_client.get(f"/repartition/?de={YEAR}-01&a={YEAR}-12"))
    assert page.status_code == 200

    period = services.compute(f"{YEAR}-01", f"{YEAR}-12")
    r = period.result
    total = sum(Decimal(row["total_cost"]) for row in payload)
    assert total == r.employer_cost + r.overheads - r.income, (total, r)
    return {
        "api_s": api_s,
        "bare_s": bare_s,
        "groups_s": group_s,
        "groups": len(groups),
        "page_s": page_s,
        "rows_out": len(payload),
        "bare_rows": len(bare_rows),
        "total": total,
        "employer_cost": r.employer_cost,
        "payload": payload,
    }


def run(label: str, url: str, n_rows: int, spread: str, instance: str) -> dict[str, Any]:
    from eage import create_app
    from eage.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        info = load(app, n_rows, spread)
        open_year = measure(app, info["token"])
        summarise_s = close_year()
        closed_year = measure(app, info["token"])
        reopen_december()
        current_year = measure(app, info["token"])
        db.session.remove()
        db.engine.dispose()
    print(f"\n== {label} ({n_rows:,} timesheet rows, spread={spread})")
    print(f"   generate rows {info['generate_s']:.2f} s · insert {info['insert_s']:.2f} s")
    print(
        f"   bare GROUP BY member, service : {closed_year['bare_s'] * 1000:8.0f} ms "
        f"({closed_year['bare_rows']} groups)"
    )
    print(
        f"   allocation minutes GROUP BY  : {closed_year['groups_s'] * 1000:8.0f} ms "
        f"({closed_year['groups']} groups)"
    )
    print(f"   months' time summarised at close: {summarise_s * 1000:5.0f} ms for the 12 months")
    for name, figures in (
        ("open year (timesheets)", open_year),
        ("closed year (summaries)", closed_year),
        ("11 months closed, December open (both)", current_year),
    ):
        print(f"   -- {name}")
        print(
            f"   GET /api/v1/allocation (year): {figures['api_s'] * 1000:8.0f} ms "
            f"({figures['rows_out']} rows)"
        )
        print(
            f"   ratio API / bare GROUP BY    : {figures['api_s'] / figures['bare_s']:8.2f}×  "
            "(goal ≤ 2×)"
        )
        print(f"   /repartition/ page (year)    : {figures['page_s'] * 1000:8.0f} ms")
    assert open_year["payload"] == closed_year["payload"] == current_year["payload"]
    print(
        f"   Σ total_cost {closed_year['total']} € = employer cost "
        f"{closed_year['employer_cost']} € + overheads − income ✓"
        " (same from summaries and timesheets)"
    )
    return {**closed_year, **info, "open": open_year, "summarise_s": summarise_s}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--spread", choices=("portfolio", "uniform"), default="portfolio")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument(
        "--pg-admin",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server to create the throwaway database eage_bench on",
    )
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="eage-bench-allocation-")
    os.environ["EAGE_INSTANCE_PATH"] = tmp
    os.environ.pop("DATABASE_URL", None)
    print(
        f"{EMPLOYEES} employees, {MEMBERS} members, {len(SERVICES)} services, year {YEAR}, "
        f"{os.cpu_count()} cores"
    )

    if args.only in (None, "sqlite"):
        run("SQLite (file)", f"sqlite:///{tmp}/bench.sqlite", args.rows, args.spread, tmp)

    if args.only in (None, "postgresql"):
        with_throwaway_postgresql(
            args.pg_admin,
            "eage_bench",
            lambda url: run("PostgreSQL", url, args.rows, args.spread, tmp),
        )


def with_throwaway_postgresql(admin: str, name: str, bench: Callable[[str], Any]) -> None:
    """bench(url) on a database `name` created on the server of `admin` and dropped after;
    says so and returns when there is no server (the SQLite figures stand)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = make_url(admin)
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: say so, keep the SQLite figures
        print(f"\n== PostgreSQL skipped: {exc.__class__.__name__}: {exc}")
        return
    try:
        bench(admin_url.set(database=name).render_as_string(hide_password=False))
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


if __name__ == "__main__":
    main()
