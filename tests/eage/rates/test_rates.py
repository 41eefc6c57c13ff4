"""Rate calculator on the demo group (SPEC §5 "Hourly rate calculator"): inputs from the
budget, the payroll engine and the timesheets; what-if; adoption (audited); roles."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from sqlalchemy import select

from eage.extensions import db
from eage.models import (
    AuditLog,
    BudgetLine,
    Employee,
    Invoice,
    Member,
    MonthLock,
    Service,
    ServiceRate,
    TimesheetEntry,
)
from eage.rates import services

D = Decimal


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.get_data(as_text=True))


def _add_time(rows: list[tuple[str, str | None, str, int, date]]) -> None:
    emp = {e.code: e.id for e in db.session.scalars(select(Employee))}
    mem = {m.code: m.id for m in db.session.scalars(select(Member))}
    svc = {s.code: s.id for s in db.session.scalars(select(Service))}
    for employee, member, service, minutes, day in rows:
        db.session.add(
            TimesheetEntry(
                date=day,
                employee_id=emp[employee],
                member_id=mem[member] if member else None,
                service_id=svc[service],
                minutes=minutes,
            )
        )
    db.session.commit()


@pytest.fixture()
def reference_time(demo) -> None:
    """Billable time in 2025 (the reference period of 2026): each employee on its service,
    KBENALI 3 h of PAIE and 1 h of GESTION. The internal hours must not count."""
    _add_time(
        [
            ("CMARTIN", "LEFIL", "GESTION", 240, date(2025, 3, 3)),
            ("KBENALI", "LEFIL", "PAIE", 120, date(2025, 3, 3)),
            ("KBENALI", "RAISO", "PAIE", 60, date(2025, 3, 4)),
            ("KBENALI", "GAGA", "GESTION", 60, date(2025, 3, 4)),
            ("JFOURNIER", "CD1D", "RESEAU", 120, date(2025, 3, 3)),
            ("JFOURNIER", None, "GESTION", 600, date(2025, 3, 5)),  # internal: not billable
            ("CMARTIN", "LEFIL", "PAIE", 6000, date(2026, 3, 3)),  # current year: not the reference
        ]
    )


def test_demo_rates_by_hand(app, reference_time) -> None:
    """Demo 2026, fiscal-year settings = the engine's defaults (AT/MP 2,08 %, mutuelle 40 €
    half paid). Engine, one full month: CMARTIN (cadre, 2 950 €) 3 950,07 €; KBENALI (2 400 €)
    2 970,22 €; JFOURNIER (17,5 h, 1 250 €) 1 582,85 €. × 12 = 47 400,84 / 35 642,64 /
    18 994,20, total 102 037,68 €.

    Staff budget 79 200 + 20 300 + 1 500 = 101 000 € split pro rata to those estimates:
    4 691 879,35 / 3 528 016,94 / 1 880 103,70 cents → floors leave 2 cents, to the largest
    remainders (KBENALI .94, JFOURNIER .70): 46 918,79 / 35 280,17 / 18 801,04 €.

    Shares (2025 billable minutes): CMARTIN all GESTION; KBENALI 180 PAIE / 60 GESTION →
    26 460,13 / 8 820,04; JFOURNIER all RESEAU (its 600 internal minutes are not billable).
    Overheads 14 000 € (no income) over the conventions' hours 1 660 / 1 250 / 740 →
    6 367,12 / 4 794,52 / 2 838,36.
    GESTION (46 918,79 + 8 820,04 + 6 367,12) / 1 660 = 37,41; PAIE (26 460,13 + 4 794,52)
    / 1 250 = 25,00; RESEAU (18 801,04 + 2 838,36) / 740 = 29,24."""
    study = services.study(2026, today=date(2026, 11, 28))
    assert study.problems == []
    assert study.reference == (date(2025, 1, 1), date(2025, 12, 31))
    assert {e.code: e.monthly_employer_cost for e in study.employees} == {
        "CMARTIN": D("3950.07"),
        "JFOURNIER": D("1582.85"),
        "KBENALI": D("2970.22"),
    }
    assert study.estimate_total == D("102037.68")
    assert {e.code: e.staff_cost for e in study.employees} == {
        "CMARTIN": D("46918.79"),
        "JFOURNIER": D("18801.04"),
        "KBENALI": D("35280.17"),
    }
    assert study.rates == {"GESTION": D("37.41"), "PAIE": D("25.00"), "RESEAU": D("29.24")}
    assert study.proposal is not None and study.proposal.total_cost == D("115000.00")
    assert {s.code: s.current for s in study.services} == {
        "GESTION": D("36.50"),
        "PAIE": D("34.00"),
        "RESEAU": D("31.50"),
    }
    assert {s.code: s.difference for s in study.services} == {
        "GESTION": D("0.91"),
        "PAIE": D("-9.00"),
        "RESEAU": D("-2.26"),
    }


def test_page_explains_the_computation(login_as, reference_time) -> None:
    html = _page(login_as("manager").get("/taux/?annee=2026"))
    assert "Calcul des taux horaires 2026" in html
    for text in (
        "37,41\xa0€ /h",
        "25,00\xa0€ /h",
        "29,24\xa0€ /h",  # proposed
        "36,50\xa0€ /h",  # current
        "101\u202f000,00\xa0€",
        "46\u202f918,79\xa0€",
        "3\u202f950,07\xa0€",
        "14\u202f000,00\xa0€",
        "6\u202f367,12\xa0€",
        "1\u202f660,00",
        "115\u202f000,00\xa0€",
        "01/01/2025",
        "31/12/2025",
        "Adopter ces taux",
        "Conventions de mise à disposition 2026",
    ):
        assert text in html, text
    assert 'href="/taux/convention/LEFIL/2026.docx"' in html


def test_without_time_employees_follow_the_planned_hours(app, demo) -> None:
    study = services.study(2026, today=date(2026, 11, 28))
    assert study.reference is None and study.problems == []
    assert all(e.spread_like_overheads for e in study.employees)
    # Everything is spread like the overheads: one rate for all, 115 000 / 3 650 h = 31,51.
    assert set(study.rates.values()) == {D("31.51")}


def test_without_staff_budget_the_engine_estimate_is_used(app, reference_time) -> None:
    for line in db.session.scalars(select(BudgetLine).where(BudgetLine.kind == "staff")):
        db.session.delete(line)
    db.session.commit()
    study = services.study(2026, today=date(2026, 11, 28))
    assert study.staff_source == "engine"
    assert {e.code: e.staff_cost for e in study.employees} == {
        "CMARTIN": D("47400.84"),
        "JFOURNIER": D("18994.20"),
        "KBENALI": D("35642.64"),
    }
    assert study.proposal is not None and study.proposal.staff_total == D("102037.68")


@pytest.mark.parametrize(
    ("query", "service", "direction"),
    [
        ("brut_CMARTIN=3500", "GESTION", +1),
        ("brut_KBENALI=2000", "PAIE", -1),
        ("heures_PAIE=1500", "PAIE", -1),
        ("heures_RESEAU=500", "RESEAU", +1),
        ("frais=20000", "GESTION", +1),
        ("frais=8000", "RESEAU", -1),
    ],
    ids=[
        "raise-a-salary",
        "lower-a-salary",
        "more-hours",
        "fewer-hours",
        "more-overheads",
        "fewer-overheads",
    ],
)
def test_what_if_moves_the_rate_the_right_way(
    login_as, reference_time, query: str, service: str, direction: int
) -> None:
    client = login_as("manager")
    base = services.study(2026).rates[service]
    html = _page(client.get(f"/taux/?annee=2026&{query}"))
    assert "Simulation en cours" in html
    field, value = query.split("=")
    whatif = services.WhatIf(
        gross={field[5:]: D(value)} if field.startswith("brut_") else {},
        hours={field[7:]: D(value)} if field.startswith("heures_") else {},
        overheads=D(value) if field == "frais" else None,
    )
    moved = services.study(2026, whatif).rates[service]
    assert (moved - base) * direction > 0
    assert f"{str(moved).replace('.', ',')}\xa0€ /h" in html


def test_salary_what_if_moves_the_staff_total_by_the_difference(app, reference_time) -> None:
    base = services.study(2026)
    raised = services.study(2026, services.WhatIf(gross={"KBENALI": D("2600.00")}))
    before = next(e for e in base.employees if e.code == "KBENALI")
    after = next(e for e in raised.employees if e.code == "KBENALI")
    assert after.monthly_gross == D("2600.00") and after.contract_gross == D("2400.00")
    assert raised.proposal is not None and base.proposal is not None
    assert (
        raised.proposal.staff_total - base.proposal.staff_total
        == after.annual_estimate - before.annual_estimate
    )


def test_bad_what_if_is_reported_and_the_budget_shown(login_as, reference_time) -> None:
    html = _page(login_as("accountant").get("/taux/?annee=2026&heures_PAIE=abc&frais=-5"))
    assert "Les hypothèses contiennent des erreurs" in html
    assert "Nombre attendu" in html and "positive ou nulle" in html
    assert "37,41\xa0€ /h" in html


def test_manager_adopts_the_rates_audited(login_as, reference_time) -> None:
    client = login_as("manager")
    html = _page(
        client.post(
            "/taux/adopter?annee=2026",
            data={"taux_GESTION": "37,41", "taux_PAIE": "25,00", "taux_RESEAU": "29,50"},
            follow_redirects=True,
        )
    )
    assert "Taux 2026 adoptés" in html and "factures à venir" in html
    rates = {
        r.service.code: r.rate
        for r in db.session.scalars(select(ServiceRate).where(ServiceRate.year == 2026))
    }
    assert rates == {"GESTION": D("37.41"), "PAIE": D("25.00"), "RESEAU": D("29.50")}
    lines = db.session.scalars(
        select(AuditLog).where(AuditLog.entity == "service_rate").order_by(AuditLog.id)
    ).all()
    assert [(a.action, a.before, a.after) for a in lines] == [
        ("update", {"rate": "36.50"}, {"rate": "37.41"}),
        ("update", {"rate": "34.00"}, {"rate": "25.00"}),
        ("update", {"rate": "31.50"}, {"rate": "29.50"}),
    ]
    assert all(a.user_id is not None for a in lines)
    summary = db.session.scalar(select(AuditLog).where(AuditLog.action == "adopt-rates"))
    assert summary.after["proposed"] == {"GESTION": "37.41", "PAIE": "25.00", "RESEAU": "29.24"}
    assert summary.after["adopted"]["RESEAU"] == "29.50"


def test_adopting_a_what_if_creates_missing_rates(login_as, reference_time) -> None:
    db.session.execute(ServiceRate.__table__.delete().where(ServiceRate.year == 2026))
    db.session.commit()
    client = login_as("accountant")
    client.post(
        "/taux/adopter?annee=2026&frais=20000",
        data={"taux_GESTION": "40", "taux_PAIE": "27", "taux_RESEAU": "31"},
    )
    actions = [
        a.action
        for a in db.session.scalars(select(AuditLog).where(AuditLog.entity == "service_rate"))
    ]
    assert actions == ["create", "create", "create"]
    summary = db.session.scalar(select(AuditLog).where(AuditLog.action == "adopt-rates"))
    assert summary.after["hypotheses"] == {"frais_de_structure": "20000.00"}


def test_bad_adoption_changes_nothing(login_as, reference_time) -> None:
    client = login_as("manager")
    html = _page(
        client.post(
            "/taux/adopter?annee=2026",
            data={"taux_GESTION": "", "taux_PAIE": "-3", "taux_RESEAU": "1,234"},
        )
    )
    assert "Indiquer le taux retenu." in html and "positive ou nulle" in html
    assert "Au plus 2 décimales." in html and "rien n'a été enregistré" in html
    rates = {
        r.service.code: r.rate
        for r in db.session.scalars(select(ServiceRate).where(ServiceRate.year == 2026))
    }
    assert rates == {"GESTION": D("36.50"), "PAIE": D("34.00"), "RESEAU": D("31.50")}
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "adopt-rates")) is None


def _invoice_october(member_code: str = "LEFIL") -> None:
    member = db.session.scalar(select(Member).where(Member.code == member_code))
    db.session.add(MonthLock(month="2026-10"))
    db.session.add(
        Invoice(
            number="F-2026-0001",
            kind="invoice",
            origin="close",
            year=2026,
            seq=1,
            member_id=member.id,
            issue_date=date(2026, 11, 2),
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            month="2026-10",
            vat_regime=member.vat_regime,
            total_excl_tax=D("100.00"),
            vat=D("20.00"),
            total_incl_tax=D("120.00"),
            due_date=date(2026, 12, 2),
            seller={"name": "GE"},
            buyer={"name": member.name},
        )
    )
    db.session.commit()


def test_invoiced_months_need_a_confirmation(login_as, reference_time) -> None:
    _invoice_october()
    client = login_as("manager")
    html = _page(client.get("/taux/?annee=2026"))
    assert "Mois déjà facturés aux taux actuels : 2026-10." in html
    assert "ne s'appliquent qu'aux factures émises après leur adoption" in html
    assert "ne s'appliqueront qu'aux factures à venir" in html
    data = {"taux_GESTION": "37,41", "taux_PAIE": "25,00", "taux_RESEAU": "29,24"}
    html = _page(client.post("/taux/adopter?annee=2026", data=data))
    assert "cochez la case pour confirmer" in html
    assert db.session.scalar(
        select(ServiceRate.rate)
        .join(Service)
        .where(Service.code == "PAIE", ServiceRate.year == 2026)
    ) == D("34.00")
    client.post("/taux/adopter?annee=2026", data={**data, "confirm": "y"})
    db.session.expire_all()
    assert db.session.scalar(
        select(ServiceRate.rate)
        .join(Service)
        .where(Service.code == "PAIE", ServiceRate.year == 2026)
    ) == D("25.00")
    summary = db.session.scalar(select(AuditLog).where(AuditLog.action == "adopt-rates"))
    assert summary.after["invoiced_months"] == ["2026-10"]


@pytest.mark.parametrize(
    ("role", "page", "adopt"),
    [("manager", 200, 302), ("accountant", 200, 302), ("admin", 200, 403), ("member", 403, 403)],
)
def test_roles(login_as, reference_time, role: str, page: int, adopt: int) -> None:
    client = login_as(role)
    assert client.get("/taux/?annee=2026").status_code == page
    response = client.post(
        "/taux/adopter?annee=2026",
        data={"taux_GESTION": "37,41", "taux_PAIE": "25,00", "taux_RESEAU": "29,24"},
    )
    assert response.status_code == adopt
    html = _page(client.get("/taux/?annee=2026")) if page == 200 else ""
    assert ("Adopter ces taux" in html) == (role in ("manager", "accountant"))


def test_year_out_of_range_is_404(login_as, demo) -> None:
    assert login_as("manager").get("/taux/?annee=1999").status_code == 404


def test_adopting_the_current_rates_changes_nothing(login_as, reference_time) -> None:
    html = _page(
        login_as("manager").post(
            "/taux/adopter?annee=2026",
            data={"taux_GESTION": "36,50", "taux_PAIE": "34", "taux_RESEAU": "31,5"},
            follow_redirects=True,
        )
    )
    assert "rien n'a changé" in html
    assert db.session.scalar(select(AuditLog).where(AuditLog.entity == "service_rate")) is None
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "adopt-rates")) is None


def _rate(code: str, year: int) -> Decimal | None:
    db.session.expire_all()
    return db.session.scalar(
        select(ServiceRate.rate).join(Service).where(Service.code == code, ServiceRate.year == year)
    )


def test_service_page_asks_the_same_confirmation_once_invoiced(login_as, reference_time) -> None:
    """One rule for both paths (catalog.services.rate_change_problems): the service page cannot
    change an invoiced year's rate without the confirmation the adoption page asks for."""
    _invoice_october()
    client = login_as("manager")
    paie = db.session.scalar(select(Service).where(Service.code == "PAIE"))
    html = _page(client.get(f"/services/{paie.id}/taux/2026"))
    assert "sont déjà émises au taux actuel (2026-10)" in html
    assert 'name="confirm"' in html and 'href="/taux/?annee=2026"' in html

    html = _page(client.post(f"/services/{paie.id}/taux/2026", data={"rate": "25,00"}))
    assert "Des factures de 2026 sont déjà émises (2026-10) : cochez la case" in html
    assert _rate("PAIE", 2026) == D("34.00")
    assert db.session.scalar(select(AuditLog).where(AuditLog.entity == "service_rate")) is None

    # The same rate again changes nothing: no confirmation needed.
    response = client.post(f"/services/{paie.id}/taux/2026", data={"rate": "34,00"})
    assert response.status_code == 302

    response = client.post(f"/services/{paie.id}/taux/2026", data={"rate": "25,00", "confirm": "y"})
    assert response.status_code == 302
    assert _rate("PAIE", 2026) == D("25.00")
    line = db.session.scalar(select(AuditLog).where(AuditLog.entity == "service_rate"))
    assert line.before == {"rate": "34.00"} and line.after == {"rate": "25.00"}


def test_a_year_without_invoices_needs_no_confirmation(login_as, reference_time) -> None:
    _invoice_october()  # 2026 is invoiced, 2027 is not
    client = login_as("manager")
    paie = db.session.scalar(select(Service).where(Service.code == "PAIE"))
    assert 'name="confirm"' not in _page(client.get(f"/services/{paie.id}/taux/2027"))
    response = client.post(f"/services/{paie.id}/taux/2027", data={"rate": "30"})
    assert response.status_code == 302 and _rate("PAIE", 2027) == D("30.00")


def test_the_service_rule_holds_in_the_service_too(reference_time) -> None:
    """Called directly (a future CLI or API), the catalog service refuses the same way."""
    from accounting.problems import ProblemsError
    from eage.catalog import services as catalog

    _invoice_october()
    paie = db.session.scalar(select(Service).where(Service.code == "PAIE"))
    with pytest.raises(ProblemsError, match="cochez la case"):
        catalog.set_rate(paie, 2026, D("20.00"))
    assert _rate("PAIE", 2026) == D("34.00")
    with pytest.raises(ProblemsError, match="cochez la case"):
        services.adopt(2026, {"PAIE": D("20.00")}, proposal={}, whatif=services.WhatIf())
    assert _rate("PAIE", 2026) == D("34.00")
