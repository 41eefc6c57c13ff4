"""A month of payroll for 500 employees: bare computation vs computation + payslip PDF.

    .venv/bin/python bench/bench_payroll_month.py [--employees 500] [--workers 2]

Synthetic employees (varied pay from the SMIC to 3.5 SMIC, full and part time, cadres,
extra hours and absences) for November 2026. Prints the time to compute the 500 payslips
with the bare engine, the time to compute them and render each PDF (WeasyPrint, a process
pool over ``--workers`` cores; .docx rendering measured apart), and the ratio.
Goal (issue 4): 500 payslips computed in under 2 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import payroll
from payroll.documents import (
    EmployeeIdentity,
    Employer,
    PaidLeave,
    PayslipDocument,
    payslip_docx,
    payslip_pdf,
)

MONTH = date(2026, 11, 1)
EMPLOYER = Employer(
    "L'équipe associée",
    "Association loi 1901 — groupement d'employeurs",
    "20 rue Saint-Joseph",
    "42000",
    "Saint-Étienne",
    "80123456800013",
    "7830Z",
    "Convention collective nationale de l'animation (IDCC 1518)",
)
HOURS = (Decimal(35), Decimal(35), Decimal(35), Decimal("28"), Decimal("24"), Decimal("17.5"))


def employees(n: int) -> list[tuple[str, payroll.ContractTerms, payroll.WorkedTime]]:
    out = []
    for i in range(n):
        weekly = HOURS[i % len(HOURS)]
        full_time_pay = Decimal(1850) + Decimal(i * 37 % 4600)
        gross = (full_time_pay * weekly / 35).quantize(Decimal("0.01"))
        extra = {"2026-W46": Decimal(i % 7)} if i % 3 == 0 else {}
        absence = Decimal(7) if i % 11 == 0 else Decimal(0)
        contract = payroll.ContractTerms(
            weekly_hours=weekly,
            monthly_gross=gross,
            cadre=i % 5 == 0 and weekly == 35,
            pas_rate=Decimal(i % 9) / 100,
            start=date(2020, 1, 6),
        )
        out.append((f"E{i:04d}", contract, payroll.WorkedTime(extra, absence)))
    return out


def compute_all(
    people: list[tuple[str, payroll.ContractTerms, payroll.WorkedTime]], params: payroll.YearParams
) -> list[payroll.PayslipResult]:
    settings = payroll.EmployerSettings()
    return [payroll.compute_payslip(c, MONTH, w, settings, params) for _, c, w in people]


def document(
    code: str, contract: payroll.ContractTerms, slip: payroll.PayslipResult
) -> PayslipDocument:
    return PayslipDocument(
        number=f"BP-2026-11-{code}",
        period_start=MONTH,
        period_end=date(2026, 11, 30),
        payment_date=date(2026, 11, 30),
        employer=EMPLOYER,
        employee=EmployeeIdentity(
            code,
            f"Salarié {code}",
            "Chargé de mission",
            "Groupe D",
            "187094227054321",
            "CDI",
            contract.start,
            contract.weekly_hours,
            contract.monthly_gross,
            contract.cadre,
        ),
        payslip=slip.to_json_dict(),
        pas_rate=contract.pas_rate,
        leave=PaidLeave(date(2026, 6, 1), Decimal("2.08"), Decimal("12.48")),
    )


def render(doc: PayslipDocument) -> int:
    return len(payslip_pdf(doc))


def _warm() -> None:
    """Import WeasyPrint and its fonts once per worker, outside the timing."""
    people = employees(1)
    slip = compute_all(people, payroll.load_params(2026))[0]
    render(document(people[0][0], people[0][1], slip))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    params = payroll.load_params(2026)
    people = employees(args.employees)

    compute_all(people[:10], params)  # warm the caches
    start = time.perf_counter()
    slips = compute_all(people, params)
    bare = time.perf_counter() - start

    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        list(pool.map(_warm_task, range(args.workers)))
        start = time.perf_counter()
        slips = compute_all(people, params)
        docs = [document(code, c, s) for (code, c, _), s in zip(people, slips, strict=True)]
        sizes = list(pool.map(render, docs, chunksize=8))
        rendered = time.perf_counter() - start

    start = time.perf_counter()
    for doc in docs[:50]:
        payslip_docx(doc)
    docx_each = (time.perf_counter() - start) / 50

    n = args.employees
    print(f"employees:                         {n}")
    print(
        f"compute (bare engine):             {bare:8.3f} s  ({bare / n * 1000:.2f} ms each)"
        f"  goal < 2 s: {'OK' if bare < 2 else 'MISSED'}"
    )
    print(
        f"compute + render PDF ({args.workers} workers): {rendered:8.3f} s  "
        f"({rendered / n * 1000:.1f} ms each, {sum(sizes) / n / 1024:.0f} KiB per PDF)"
    )
    print(f"ratio (compute + PDF) / compute:   {rendered / bare:8.1f}")
    print(f".docx rendering (one process):     {docx_each * 1000:8.1f} ms each")


def _warm_task(_: int) -> None:
    _warm()


if __name__ == "__main__":
    main()
