"""The demo group's reference data: L'équipe associée, its 12 founding members, 3 services,
2.5 FTE (SPEC §1), their rates, budget, settings and users.

Identifiers are fictitious but valid (Luhn checksums, VAT keys computed with python-stdnum).
Loading is idempotent: what already exists (by code, email, year) is left as it is.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from stdnum import luhn
from stdnum.fr import siren as siren_mod

from eage.extensions import db
from eage.models import (
    BudgetLine,
    Contract,
    Employee,
    FiscalYear,
    Member,
    Organisation,
    PlannedHours,
    Service,
    ServiceRate,
    User,
)

DEMO_PASSWORDS = {
    "compta@equipe-associee.example": ("accountant", None, "Camille Roche", "compta-demo-2026"),
    "bureau@equipe-associee.example": ("manager", None, "Hélène Vidal", "bureau-demo-2026"),
    "lefil@equipe-associee.example": (
        "member",
        "LEFIL",
        "Sophie Marin (Le Fil)",
        "lefil-demo-2026",
    ),
    "admin@equipe-associee.example": ("admin", None, "Administrateur", "admin-demo-2026"),
}


def _siren(seed: str) -> str:
    """A valid SIREN from 8 digits (Luhn check digit)."""
    return seed + luhn.calc_check_digit(seed)


def _siret(siren: str, nic: str) -> str:
    """A valid SIRET: SIREN + 4-digit NIC + Luhn check digit over the 14 digits."""
    base = siren + nic
    return base + luhn.calc_check_digit(base)


# code, name, legal form, SIREN seed, VAT regime, address, e-mail, planned hours
# (GESTION, PAIE, RESEAU), previous-year gross payroll.
MEMBERS = [
    (
        "CINE3C",
        "Cinéma Le France / Les 3C",
        "SCIC SAS",
        "81234567",
        "vat_20",
        "8 rue de la Valse",
        "contact@cinemalefrance.example",
        (260, 200, 90),
        Decimal("312000.00"),
    ),
    (
        "FABRIQUE",
        "La Fabrique",
        "Association loi 1901",
        "41234568",
        "exempt_261B",
        "11 rue Beaubrun",
        "contact@lafabrique.example",
        (180, 120, 60),
        Decimal("96000.00"),
    ),
    (
        "NOCTAMB",
        "Ciel ! Les Noctambules",
        "Association loi 1901",
        "42345679",
        "exempt_261B",
        "3 place Jean Jaurès",
        "prod@noctambules.example",
        (120, 90, 40),
        Decimal("58000.00"),
    ),
    (
        "DYNPLUR",
        "Dynamiques Plurielles",
        "Association loi 1901",
        "43456780",
        "exempt_261B",
        "22 rue Michelet",
        "bonjour@dynamiques-plurielles.example",
        (100, 70, 30),
        Decimal("41000.00"),
    ),
    (
        "REMUE",
        "Le Remue-Méninges",
        "Association loi 1901",
        "44567891",
        "exempt_261B",
        "5 rue de la Ville",
        "cafe@remue-meninges.example",
        (90, 80, 30),
        Decimal("36500.00"),
    ),
    (
        "YESHT",
        "Yes High Tech",
        "SCOP SARL",
        "51678902",
        "vat_20",
        "45 rue Bergson",
        "atelier@yeshightech.example",
        (160, 130, 110),
        Decimal("210000.00"),
    ),
    (
        "RAISO",
        "Raiso",
        "Association loi 1901",
        "45789013",
        "exempt_261B",
        "20 rue Saint-Joseph",
        "reseau@raiso.example",
        (110, 70, 60),
        Decimal("48000.00"),
    ),
    (
        "BAROUF",
        "La Baroufada",
        "Association loi 1901",
        "46890124",
        "exempt_261B",
        "17 rue Elisée Reclus",
        "compagnie@baroufada.example",
        (90, 90, 20),
        Decimal("52000.00"),
    ),
    (
        "BUREPH",
        "Le Bureau éphémère",
        "Association loi 1901",
        "47901235",
        "exempt_261B",
        "20 rue Saint-Joseph",
        "contact@bureau-ephemere.example",
        (100, 60, 40),
        Decimal("39000.00"),
    ),
    (
        "LEFIL",
        "Le Fil (association Limace)",
        "Association loi 1901",
        "48012346",
        "vat_20",
        "20 boulevard Thiers",
        "admin@le-fil.example",
        (280, 230, 150),
        Decimal("420000.00"),
    ),
    (
        "CD1D",
        "Cd1d.com",
        "Association loi 1901",
        "49123457",
        "exempt_261B",
        "20 rue Saint-Joseph",
        "contact@cd1d.example",
        (80, 40, 90),
        Decimal("28000.00"),
    ),
    (
        "GAGA",
        "Gaga jazz",
        "Association loi 1901",
        "40234568",
        "exempt_261B",
        "9 rue Camille Colard",
        "jazz@gaga.example",
        (90, 70, 20),
        Decimal("33000.00"),
    ),
]

SERVICES = [
    ("GESTION", "Gestion et contrôle de gestion", Decimal("36.50")),
    ("PAIE", "Service paye et gestion sociale", Decimal("34.00")),
    ("RESEAU", "Administration réseau et extranet", Decimal("31.50")),
]

# code, first name, last name, job, classification, weekly hours, monthly gross, cadre,
# main service, SSN, PAS rate.
EMPLOYEES = [
    (
        "CMARTIN",
        "Claire",
        "Martin",
        "Contrôleuse de gestion",
        "Cadre — groupe F",
        Decimal("35"),
        Decimal("2950.00"),
        True,
        "GESTION",
        "284054227012387",
        Decimal("4.30"),
    ),
    (
        "KBENALI",
        "Karim",
        "Benali",
        "Gestionnaire paie et RH",
        "Technicien — groupe D",
        Decimal("35"),
        Decimal("2400.00"),
        False,
        "PAIE",
        "187094227054322",
        Decimal("2.10"),
    ),
    (
        "JFOURNIER",
        "Julie",
        "Fournier",
        "Administratrice réseau",
        "Technicienne — groupe D",
        Decimal("17.5"),
        Decimal("1250.00"),
        False,
        "RESEAU",
        "292104227098775",
        Decimal("0.00"),
    ),
]

# account (plan comptable associatif), label, kind, amount — exactly 115,000 € (SPEC §1).
BUDGET = [
    ("641100", "Salaires bruts du personnel partagé", "staff", Decimal("79200.00")),
    ("645100", "Cotisations sociales patronales (après RGDU)", "staff", Decimal("20300.00")),
    ("647500", "Médecine du travail, mutuelle, prévoyance", "staff", Decimal("1500.00")),
    ("613200", "Loyer — bureau de 20 m², 20 rue Saint-Joseph", "overhead", Decimal("3600.00")),
    (
        "651100",
        "Logiciels et licences (paie, comptabilité, extranet)",
        "overhead",
        Decimal("2400.00"),
    ),
    ("622600", "Honoraires de l'expert-comptable", "overhead", Decimal("3600.00")),
    ("616000", "Assurances (responsabilité civile, locaux)", "overhead", Decimal("900.00")),
    ("633300", "Formation professionnelle du personnel", "overhead", Decimal("1800.00")),
    ("626000", "Télécommunications et internet", "overhead", Decimal("1200.00")),
    ("627000", "Frais bancaires", "overhead", Decimal("500.00")),
]


def _org() -> Organisation:
    siren = _siren("80123456")
    return Organisation(
        name="L'équipe associée",
        legal_form="Association loi 1901 — groupement d'employeurs",
        siren=siren,
        siret=_siret(siren, "0001"),
        vat_number="FR" + siren_mod.to_tva(siren),
        ape_code="7830Z",
        collective_agreement="Convention collective nationale de l'animation (ÉCLAT, IDCC 1518)",
        address="20 rue Saint-Joseph",
        postcode="42000",
        city="Saint-Étienne",
        email="contact@equipe-associee.example",
        phone="04 77 00 00 00",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPPXXX",
        late_penalty_rate=Decimal("12.15"),
        headcount=3,
    )


def load_organisation(report: list[str]) -> None:
    if db.session.scalar(select(func.count(Organisation.id))) == 0:
        db.session.add(_org())
        report.append("organisation: L'équipe associée")


def load_services(year: int, report: list[str]) -> dict[str, Service]:
    services: dict[str, Service] = {}
    for code, label, rate in SERVICES:
        svc = db.session.scalar(select(Service).where(Service.code == code))
        if svc is None:
            svc = Service(code=code, label=label)
            db.session.add(svc)
            report.append(f"service {code}")
        if not any(r.year == year for r in svc.rates):
            svc.rates.append(ServiceRate(year=year, rate=rate))
            report.append(f"rate {code} {year}: {rate} €/h")
        services[code] = svc
    db.session.flush()
    return services


def load_members(year: int, services: dict[str, Service], report: list[str]) -> list[Member]:
    members: list[Member] = []
    for code, name, form, seed, regime, street, email, planned, payroll in MEMBERS:
        m = db.session.scalar(select(Member).where(Member.code == code))
        if m is None:
            siren = _siren(seed)
            m = Member(
                code=code,
                name=name,
                legal_form=form,
                siren=siren,
                siret=_siret(siren, "0001" if code != "LEFIL" else "0002"),
                vat_number="FR" + siren_mod.to_tva(siren),
                address=street,
                postcode="42000",
                city="Saint-Étienne",
                email=email,
                joined_on=date(2012, 1, 1),
                vat_regime=regime,
                payment_terms_days=30,
                previous_year_gross_payroll=payroll,
            )
            db.session.add(m)
            report.append(f"member {code}")
        for svc_code, hours in zip(("GESTION", "PAIE", "RESEAU"), planned, strict=True):
            svc = services[svc_code]
            if not any(p.year == year and p.service_id == svc.id for p in m.planned_hours):
                m.planned_hours.append(PlannedHours(year=year, service=svc, hours=Decimal(hours)))
        members.append(m)
    return members


def load_employees(report: list[str]) -> list[tuple[Employee, str, Decimal]]:
    employees: list[tuple[Employee, str, Decimal]] = []
    for code, first, last, job, classif, weekly, gross, cadre, main, ssn, pas in EMPLOYEES:
        e = db.session.scalar(select(Employee).where(Employee.code == code))
        if e is None:
            e = Employee(
                code=code,
                first_name=first,
                last_name=last,
                job=job,
                classification=classif,
                social_security_number=ssn,
                pas_rate=pas,
                email=f"{first.lower()}.{last.lower()}@equipe-associee.example",
            )
            e.contracts.append(
                Contract(
                    kind="CDI",
                    start_date=date(2019, 9, 2),
                    weekly_hours=weekly,
                    monthly_gross=gross,
                    cadre=cadre,
                )
            )
            db.session.add(e)
            report.append(f"employee {code} ({weekly} h/week)")
        employees.append((e, main, weekly))
    return employees


def load_fiscal_year(year: int, report: list[str]) -> None:
    """The fiscal year and its budget lines."""
    if db.session.get(FiscalYear, year) is None:
        db.session.add(FiscalYear(year=year))
        report.append(f"fiscal year {year}")
    if not db.session.scalar(select(func.count(BudgetLine.id)).where(BudgetLine.year == year)):
        for account, label, kind, amount in BUDGET:
            db.session.add(
                BudgetLine(year=year, account=account, label=label, kind=kind, amount=amount)
            )
        report.append(f"budget {year}: {sum(b[3] for b in BUDGET)} €")


def load_users(members: list[Member], report: list[str]) -> None:
    for email, (role, member_code, name, password) in DEMO_PASSWORDS.items():
        if db.session.scalar(select(User).where(User.email == email)) is None:
            member = next((m for m in members if m.code == member_code), None)
            user = User(email=email, role=role, member=member, name=name)
            user.member_admin = role == "member"  # the demo member user manages its people
            user.set_password(password)
            db.session.add(user)
            report.append(f"user {email} ({role})")


def real_data() -> list[str]:
    """What the database holds that the demo did not put there: an organisation, members,
    employees or users of its own (invoices, payslips and entries belong to those). Loading
    the demo there would add four users whose passwords are published in the README."""
    demo_siren = _siren("80123456")
    found: list[str] = []
    for label, column, known in (
        ("organisation", Organisation.siren, {demo_siren}),
        ("member", Member.code, {m[0] for m in MEMBERS}),
        ("employee", Employee.code, {e[0] for e in EMPLOYEES}),
        ("user", User.email, set(DEMO_PASSWORDS)),
    ):
        query = select(column).where(column.not_in(known))
        if column is Member.code or column is Employee.code:
            # the large demo's synthetic members and employees (eage.demo.large)
            query = query.where(~(column.like("XLM%") | column.like("XLE%")))
        others = db.session.scalars(query.limit(3)).all()
        if others:
            found.append(f"{label} {', '.join(str(o) for o in others)}")
    return found


def credentials() -> list[tuple[str, str, str]]:
    return [(email, role, pw) for email, (role, _m, _n, pw) in DEMO_PASSWORDS.items()]
