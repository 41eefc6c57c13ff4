"""Compute 500 payslips (varied pay, hours, status, extra hours, months) and print the time.

Goal: < 2 s on the 2-core reference machine.
Run: ``.venv/bin/python bench/bench_payroll_compute.py``.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from payroll import ContractTerms, EmployerSettings, WorkedTime, compute_payslip, load_params

N = 500


def main() -> None:
    started = time.perf_counter()
    params = {2025: load_params(2025), 2026: load_params(2026)}
    loaded = time.perf_counter()
    settings = EmployerSettings()
    hours = [Decimal(h) for h in ("35", "24", "17.5", "35", "28")]
    total = Decimal(0)
    for i in range(N):
        year = 2026 if i % 4 else 2025
        month = date(year, i % 12 + 1, 1)
        contract = ContractTerms(
            weekly_hours=hours[i % len(hours)],
            monthly_gross=Decimal(1800 + (i * 37) % 5000),
            cadre=i % 7 == 0,
            start=date(year, month.month, 10) if i % 11 == 0 else None,
        )
        extra = {f"{year}-W{w:02d}": Decimal(i % 5) for w in (1, 2)} if i % 3 == 0 else {}
        worked = WorkedTime(extra, Decimal(7) if i % 13 == 0 and i % 11 else Decimal(0))
        slip = compute_payslip(contract, month, worked, settings, params[year])
        total += slip.employer_cost
    done = time.perf_counter()
    print(f"loaded parameters in {loaded - started:.3f} s")
    print(f"{N} payslips in {done - loaded:.3f} s ({(done - loaded) / N * 1000:.2f} ms each)")
    print(f"goal < 2 s: {'OK' if done - started < 2 else 'TOO SLOW'} (total employer cost {total})")


if __name__ == "__main__":
    main()
