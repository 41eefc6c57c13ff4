"""Convention de mise à disposition per member and year (.docx, SPEC §6; clauses of
LEGAL-FACTS §7 and §1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import select

from eage.extensions import db
from eage.models import Member, ServiceRate

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    parts.extend(p.text for p in document.sections[0].footer.paragraphs)
    return "\n".join(parts)


def _rows(data: bytes, header: str) -> list[list[str]]:
    document = Document(BytesIO(data))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == header)
    return [[c.text for c in row.cells] for row in table.rows]


LEGAL_CLAUSES = [
    "articles L1253-1 et suivants du Code du travail",  # object: GE placement
    "à but non lucratif",  # non-profit loan of staff (LEGAL-FACTS §7)
    "à l'euro près",  # invoicing method
    "reste l'unique employeur",  # the GE keeps the employer's obligations…
    "contrat de travail écrit, rémunération, déclarations et cotisations sociales",
    "formation professionnelle et pouvoir disciplinaire",
    "organise le travail des salariés",  # the member organises the work…
    "responsable de la santé et de la sécurité au travail",  # …and answers for H&S
    "registre unique du personnel",  # staff register mention (LEGAL-FACTS §1)
    "« mis à disposition par le groupement d'employeurs L'équipe associée, 20 rue Saint-Joseph, "
    "42000 Saint-Étienne »",
    "article L1253-8 du Code du travail",  # joint liability
    "solidairement responsables de ses dettes",
    "facture provisoire",  # monthly provisional invoices
    "Régularisation annuelle",  # year-end regularisation to the real cost
    "facture complémentaire ou à un avoir",
    "indemnité forfaitaire pour frais de recouvrement de 40 €",
    "Pas d'escompte",
    "Convention collective appliquée par le groupement",
    "Durée, révision et fin",
    "POUR LE GROUPEMENT D'EMPLOYEURS",  # signatures (labels in capitals, house style)
    "POUR LA STRUCTURE UTILISATRICE",
]


def test_back_office_convention_carries_member_hours_rates_and_clauses(login_as) -> None:
    response = login_as("manager").get("/taux/convention/LEFIL/2026.docx")
    assert response.status_code == 200 and response.mimetype == DOCX
    assert "convention-LEFIL-2026.docx" in response.headers["Content-Disposition"]
    data = response.get_data()
    text = _text(data)
    member = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    # Parties and identities.
    assert "Le Fil (association Limace)" in text and "L'équipe associée" in text
    assert f"SIREN {member.siren}" in text and f"SIRET {member.siret}" in text
    assert "représentée par" in text and "représenté par" in text
    assert "CMD-2026-LEFIL" in text
    # Planned hours (280 / 230 / 150) and the year's rates.
    rows = _rows(data, "Service")
    assert rows[1:] == [
        ["Gestion et contrôle de gestion", "280,00", "36,50\xa0€", "10\u202f220,00\xa0€"],
        ["Service paye et gestion sociale", "230,00", "34,00\xa0€", "7\u202f820,00\xa0€"],
        ["Administration réseau et extranet", "150,00", "31,50\xa0€", "4\u202f725,00\xa0€"],
        ["Total", "660,00", "", "22\u202f765,00\xa0€"],
    ]
    for clause in LEGAL_CLAUSES:
        assert clause in text, clause
    # Le Fil pays VAT (SPEC §3 demo: vat_20): no 261 B mention for it.
    assert "TVA au taux normal de 20 %" in text and "261 B" not in text
    # Particular conditions: the staff, job, classification, hours; the NIR masked.
    assert "Claire Martin" in text and "Contrôleuse de gestion" in text
    assert "Cadre — groupe F" in text and "CDI, 17,50 h/semaine" in text
    assert "284054227012387" not in text and "2 •• •• •• ••• ••• 87" in text


def test_exempt_member_gets_the_261B_mention(login_as) -> None:
    text = _text(login_as("accountant").get("/taux/convention/FABRIQUE/2026.docx").get_data())
    assert "exonération de TVA – article 261 B du CGI" in text


def test_convention_follows_adopted_rates(login_as) -> None:
    row = db.session.scalar(select(ServiceRate).where(ServiceRate.year == 2026).limit(1))
    row.rate = Decimal("40.00")
    db.session.commit()
    text = _text(login_as("manager").get("/taux/convention/LEFIL/2026.docx").get_data())
    assert "40,00\xa0€" in text


def test_member_user_gets_only_its_own_convention(login_as) -> None:
    client = login_as("member")  # a user of LEFIL
    response = client.get("/portail/convention/2026.docx")
    assert response.status_code == 200 and response.mimetype == DOCX
    text = _text(response.get_data())
    assert "Le Fil (association Limace)" in text and "280,00" in text
    # The back-office route is refused by role before the code is even looked at.
    assert client.get("/taux/convention/CINE3C/2026.docx").status_code == 403
    assert client.get("/taux/convention/LEFIL/2026.docx").status_code == 403
    assert client.get("/taux/?annee=2026").status_code == 403


@pytest.mark.parametrize("role", ["manager", "accountant", "admin"])
def test_back_office_may_not_use_the_portal_route(login_as, role: str) -> None:
    client = login_as(role)
    assert client.get("/portail/convention/2026.docx").status_code == 403
    assert client.get("/taux/convention/LEFIL/2026.docx").status_code == 200


def test_unknown_member_or_year_outside_membership_is_404(login_as) -> None:
    client = login_as("manager")
    assert client.get("/taux/convention/NOPE/2026.docx").status_code == 404
    assert client.get("/taux/convention/LEFIL/2011.docx").status_code == 404  # joined 2012
    member = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    member.left_on = date(2025, 6, 30)
    db.session.commit()
    assert client.get("/taux/convention/LEFIL/2026.docx").status_code == 404
    assert login_as("member").get("/portail/convention/2026.docx").status_code == 404
