"""`eage sepa-debits` and `eage sepa-salaries` (SPEC §7): the file written in --output, its
path, count and total printed; on a problem every `error:` line, exit 1, nothing written."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from eage.extensions import db
from eage.models import MonthLock
from eage.models.sepa import SepaBatch
from eage.sepa import rules
from tests import factories
from tests.eage.sepa.conftest import IBAN_FR, validate

NOV = (date(2026, 11, 1), date(2026, 11, 30))


def test_sepa_debits_writes_the_file(sepa, give_mandate, runner, tmp_path) -> None:
    give_mandate("LEFIL")
    factories.add_invoice("LEFIL", "invoice", "monthly", NOV, [("service", None, "321.09")])
    factories.add_invoice("CINE3C", "invoice", "monthly", NOV, [("service", None, "5.00")])
    day = rules.next_business_day(date.today())
    result = runner.invoke(
        args=["sepa-debits", "--date", day.isoformat(), "--output", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("*-pain008.xml")
    assert str(written) in result.output
    assert "1 debits, total 321.09 EUR" in result.output
    assert "skipped: CINE3C" in result.output
    assert "pre-notifications e-mailed on" in result.output
    validate(written.read_bytes(), "pain.008.001.02")


def test_sepa_debits_refuses_with_every_problem(sepa, give_mandate, runner, tmp_path) -> None:
    give_mandate("LEFIL", iban="FR1420041010050500013M02607")
    factories.add_invoice("LEFIL", "invoice", "monthly", NOV, [("service", None, "10.00")])
    result = runner.invoke(args=["sepa-debits", "--date", "2026-12-26", "--output", str(tmp_path)])
    assert result.exit_code == 1
    assert "error: LEFIL (mandat RUM-LEFIL-1) : IBAN" in result.output
    assert "error: " in result.output and "jour ouvré" in result.output
    assert not list(tmp_path.iterdir())
    assert db.session.scalar(select(func.count(SepaBatch.id))) == 0


def test_sepa_salaries_writes_the_file(demo, runner, tmp_path) -> None:
    factories.add_payslip("CMARTIN", "2026-11", "2950.00", "1200.00")
    factories.employee("CMARTIN").iban = IBAN_FR
    db.session.add(MonthLock(month="2026-11"))
    db.session.commit()
    result = runner.invoke(args=["sepa-salaries", "2026-11", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("*-pain001.xml")
    assert "1 transfers, total 2950.00 EUR" in result.output
    validate(written.read_bytes(), "pain.001.001.03")


def test_sepa_salaries_refuses_an_employee_without_iban(demo, runner, tmp_path) -> None:
    factories.add_payslip("KBENALI", "2026-11", "1987.45", "700.00")
    db.session.add(MonthLock(month="2026-11"))
    db.session.commit()
    result = runner.invoke(args=["sepa-salaries", "2026-11", "--output", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "error: KBENALI (Karim Benali) : IBAN manquant" in result.output
    assert not (tmp_path / "out").exists()
    result = runner.invoke(args=["sepa-salaries", "2026-13", "--output", str(tmp_path)])
    assert result.exit_code != 0 and "YYYY-MM" in result.output
