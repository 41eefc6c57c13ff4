"""Convention de mise à disposition per member and year (SPEC §6), as an editable .docx.

Pure: built from plain data, in the house style of the invoice's Word version
(:mod:`accounting.documents.docx_render`). The clauses follow LEGAL-FACTS §7 (particular
conditions: the staff, their job, qualification, classification, hours, schedule and the
duration; general conditions: the group keeps the employer's obligations, the member
organises the work and answers for health and safety, invoicing "à l'euro près",
non-profit placement) and §1 (joint liability, art. L1253-8 C. trav.; entry in the member's
staff register; provisional invoicing then year-end regularisation to the real cost).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from docx.document import Document as DocxDocument

from accounting import formats
from accounting.documents.docx_render import (
    MUTED,
    _footer,
    _grid,
    _head,
    _open,
    _para,
    _save,
    _signatures,
)
from accounting.invoicing import Party, SellerParty
from accounting.money import ZERO, round_cents

__all__ = ["ConventionDocument", "ConventionEmployee", "ConventionService", "convention_docx"]

# Art. L1253-8 C. trav., as quoted in LEGAL-FACTS §1.
JOINT_LIABILITY = (
    "les membres du groupement sont solidairement responsables de ses dettes à "
    "l'égard des salariés et des organismes créanciers de cotisations obligatoires"
)
# Art. D441-5 C. com. (LEGAL-FACTS §3).
RECOVERY_INDEMNITY = "40 €"
PLACEHOLDER = "……………………………………"


@dataclass(frozen=True)
class ConventionService:
    code: str
    label: str
    planned_hours: Decimal
    rate: Decimal | None  # the year's hourly rate (None: not adopted yet)

    @property
    def amount(self) -> Decimal | None:
        """Indicative yearly amount excl. tax: planned hours × rate, half-up to the cent."""
        return None if self.rate is None else round_cents(self.planned_hours * self.rate)


@dataclass(frozen=True)
class ConventionEmployee:
    name: str
    job: str
    classification: str
    masked_ssn: str  # never in full outside payslips (SPEC §3)
    contract_kind: str
    weekly_hours: Decimal
    services: tuple[str, ...]  # services the employee worked on for members (reference period)


@dataclass(frozen=True)
class ConventionDocument:
    year: int
    reference: str
    seller: SellerParty
    member: Party
    member_joined_on: date
    start: date
    end: date
    collective_agreement: str
    services: tuple[ConventionService, ...]
    employees: tuple[ConventionEmployee, ...]
    payment_terms_days: int
    late_penalty_rate: Decimal  # percent a year
    vat_exempt: bool  # art. 261 B CGI
    fee_rate: Decimal | None  # percent of the previous year's gross payroll
    fee_cap: Decimal | None
    hours_denominator: int
    issue_date: date
    ge_signatory: str = ""
    member_signatory: str = ""

    @property
    def total_hours(self) -> Decimal:
        return sum((s.planned_hours for s in self.services), ZERO)

    @property
    def total_amount(self) -> Decimal:
        return sum((s.amount or ZERO for s in self.services), ZERO)


def _article(document: DocxDocument, number: int, title: str) -> None:
    document.add_heading(f"Article {number} – {title}", level=3)


def _hours(value: Decimal) -> str:
    return formats.number2(value)


def convention_docx(doc: ConventionDocument, template: bytes | None = None) -> bytes:
    document = _open(template)
    _convention_head(document, doc)
    _parties(document, doc)
    _article_1_object(document, doc)
    _article_2_staff(document, doc)
    _article_3_planned_hours(document, doc)
    _article_4_rates(document, doc)
    _article_5_invoicing(document, doc)
    _articles_6_to_8_obligations(document, doc)
    _article_9_duration(document, doc)
    _convention_signatures(document, doc)
    return _save(document)


def _convention_head(document: DocxDocument, doc: ConventionDocument) -> None:
    """Properties, footer and the head: references of the convention, the member."""
    title = f"Convention de mise à disposition de personnel – année {doc.year}"
    document.core_properties.title = title
    document.core_properties.author = doc.seller.name
    document.core_properties.subject = f"{title} – {doc.member.name}"
    _footer(document, doc.seller, f"Convention {doc.reference}")
    meta = [
        ("Référence", doc.reference),
        ("Année", str(doc.year)),
        ("Période", f"{formats.fr_date(doc.start)} – {formats.fr_date(doc.end)}"),
        ("Établie le", formats.fr_date(doc.issue_date)),
    ]
    _head(
        document,
        doc.seller,
        "Convention de mise à disposition",
        meta,
        party_label="Structure utilisatrice – membre du groupement",
        party=doc.member,
    )


def _parties(document: DocxDocument, doc: ConventionDocument) -> None:
    """The two parties, as they sign."""
    seller, member = doc.seller, doc.member
    document.add_heading("Entre les soussignés", level=2)
    _para(
        document,
        f"{seller.name}, {seller.legal_form}, dont le siège est situé "
        f"{', '.join(seller.address_block)}, SIREN {seller.siren}, SIRET {seller.siret}, "
        f"représenté par {doc.ge_signatory or PLACEHOLDER}, en qualité de "
        f"{PLACEHOLDER}, ci-après « le groupement »,",
    )
    _para(document, "d'une part, et")
    ids = f"SIREN {member.siren or 'non communiqué'}" + (
        f", SIRET {member.siret}" if member.siret else ""
    )
    _para(
        document,
        f"{member.name}, {member.legal_form}, dont le siège est situé "
        f"{', '.join(member.address_block) or PLACEHOLDER}, {ids}, membre du groupement "
        f"depuis le {formats.fr_date(doc.member_joined_on)}, représentée par "
        f"{doc.member_signatory or PLACEHOLDER}, en qualité de {PLACEHOLDER}, "
        "ci-après « l'adhérent » ou « la structure utilisatrice »,",
    )
    _para(document, "d'autre part, il est convenu ce qui suit.", space_after=6)


def _article_1_object(document: DocxDocument, doc: ConventionDocument) -> None:
    seller = doc.seller
    _article(document, 1, "Objet et cadre légal")
    _para(
        document,
        f"La présente convention organise la mise à disposition de l'adhérent, pour "
        f"l'année {doc.year}, des salariés du groupement d'employeurs {seller.name}, "
        "dans le cadre des articles L1253-1 et suivants du Code du travail. Elle "
        "s'applique avec les statuts et le règlement intérieur du groupement, que "
        "l'adhérent déclare connaître et accepter.",
    )
    _para(
        document,
        "Cette mise à disposition est à but non lucratif : le groupement ne réalise "
        "aucun bénéfice sur les mises à disposition. Il refacture à l'adhérent, à "
        "l'euro près, le coût réel du service rendu (salaires, cotisations sociales, "
        "provisions et avantages dus aux salariés, quote-part des frais de "
        "fonctionnement du groupement, nets des aides reçues), selon les modalités de "
        "l'article 5.",
    )


def _article_2_staff(document: DocxDocument, doc: ConventionDocument) -> None:
    """Particular conditions: the staff, their job, qualification, hours; schedule and duration."""
    _article(document, 2, "Conditions particulières : personnel mis à disposition")
    _para(
        document,
        "Salariés du groupement susceptibles d'intervenir auprès de l'adhérent "
        "(emploi, qualification, classification, durée du travail prévue au "
        "contrat) :",
    )
    if doc.employees:
        _grid(
            document,
            [
                "Salarié",
                "N° sécurité sociale",
                "Emploi",
                "Qualification / classification",
                "Contrat",
                "Services",
            ],
            [
                [
                    e.name,
                    e.masked_ssn or "–",
                    e.job,
                    e.classification or "–",
                    f"{e.contract_kind}, {_hours(e.weekly_hours)} h/semaine",
                    ", ".join(e.services) or "–",
                ]
                for e in doc.employees
            ],
            widths_mm=(30, 32, 32, 34, 26, 26),
        )
    else:
        _para(document, "Aucun salarié sous contrat à ce jour.", color=MUTED)
    if doc.collective_agreement:
        _para(
            document,
            f"Convention collective appliquée par le groupement : {doc.collective_agreement}.",
        )
    _para(
        document,
        "Horaires : les interventions sont planifiées d'un commun accord entre le "
        "groupement et l'adhérent, semaine par semaine, dans la limite du volume "
        "annuel de l'article 3 et des durées maximales de travail (10 heures par jour, "
        "48 heures par semaine). Le lieu d'exécution (locaux de l'adhérent ou du "
        "groupement) est précisé lors de cette planification.",
    )
    _para(
        document,
        f"Durée : du {formats.fr_date(doc.start)} au {formats.fr_date(doc.end)} (article 9).",
    )


def _article_3_planned_hours(document: DocxDocument, doc: ConventionDocument) -> None:
    _article(document, 3, "Volume d'heures prévisionnel par service")
    rows = [
        [
            s.label or s.code,
            _hours(s.planned_hours),
            formats.money(s.rate) if s.rate is not None else "à fixer",
            formats.money(s.amount) if s.amount is not None else "–",
        ]
        for s in doc.services
    ]
    rows.append(["Total", _hours(doc.total_hours), "", formats.money(doc.total_amount)])
    _grid(
        document,
        ["Service", "Heures prévues", f"Taux horaire {doc.year} HT", "Montant indicatif HT"],
        rows,
        numeric=(1, 2, 3),
        widths_mm=(80, 30, 35, 35),
        bold_rows=(len(rows) - 1,),
    )
    _para(
        document,
        "Heures en centièmes (7,50 = 7 h 30). Ce volume est prévisionnel : seules les "
        "heures effectivement réalisées, portées sur le relevé mensuel, sont facturées. "
        "Il peut être révisé par avenant.",
        size=8,
        color=MUTED,
    )


def _article_4_rates(document: DocxDocument, doc: ConventionDocument) -> None:
    _article(document, 4, "Taux horaires")
    _para(
        document,
        f"Les taux horaires {doc.year} sont fixés par le groupement à partir de son "
        "budget de l'année : coût budgété attribué à chaque service (salaires et "
        "charges du personnel selon sa part prévue du service, frais de structure nets "
        "des produits répartis au prorata des heures prévues) divisé par les heures "
        "facturables prévues de ce service, arrondi au centime. Ce sont des taux "
        "provisoires : un changement de taux en cours d'année ne s'applique qu'aux "
        "factures à venir, la régularisation de fin d'année ajustant le tout au coût "
        "réel.",
    )


def _article_5_invoicing(document: DocxDocument, doc: ConventionDocument) -> None:
    """Provisional monthly invoices, the year-end regularisation, payment, VAT and the fee."""
    seller = doc.seller
    _article(document, 5, "Facturation et règlement")
    _para(
        document,
        "Chaque fin de mois, le groupement établit un relevé mensuel des heures "
        "effectuées pour l'adhérent, par salarié, service et jour, et une facture "
        "provisoire : heures du mois × taux horaire de l'année, par service.",
    )
    _para(
        document,
        f"Régularisation annuelle : après la clôture de l'exercice {doc.year}, le "
        "coût réel de l'année (paie réelle et frais de fonctionnement, nets des "
        "produits) est réparti entre les adhérents au prorata des heures utilisées. "
        "La différence entre ce coût réel et les factures provisoires de l'année donne "
        "lieu à une facture complémentaire ou à un avoir, à l'euro près.",
    )
    _para(
        document,
        f"Règlement par virement à {doc.payment_terms_days} jours date de facture"
        + (f", sur le compte IBAN {seller.iban_display}" if seller.iban else "")
        + ". Pas d'escompte pour paiement anticipé. Tout retard de paiement entraîne "
        f"des pénalités au taux annuel de {formats.percent(doc.late_penalty_rate)} et "
        f"une indemnité forfaitaire pour frais de recouvrement de {RECOVERY_INDEMNITY} "
        "(articles L441-10 et D441-5 du Code de commerce).",
    )
    if doc.vat_exempt:
        _para(
            document,
            "TVA : les sommes facturées à l'adhérent correspondent exactement à sa "
            "quote-part des dépenses communes ; exonération de TVA – article 261 B du "
            "CGI.",
        )
    else:
        _para(document, "TVA : les prestations sont facturées avec la TVA au taux normal de 20 %.")
    if doc.fee_rate is not None and doc.fee_cap is not None:
        _para(
            document,
            f"Cotisation annuelle d'adhésion, facturée à part, hors champ de la TVA : "
            f"{formats.percent(doc.fee_rate)} de la masse salariale brute versée par "
            f"l'adhérent l'année précédente, plafonnée à {formats.money(doc.fee_cap)}.",
        )


def _articles_6_to_8_obligations(document: DocxDocument, doc: ConventionDocument) -> None:
    """The group stays the employer; the member organises the work; joint liability."""
    seller = doc.seller
    _article(document, 6, "Obligations du groupement, employeur")
    _para(
        document,
        "Le groupement est et reste l'unique employeur des salariés mis à "
        "disposition. Il conserve toutes les obligations de l'employeur : contrat de "
        "travail écrit, rémunération, déclarations et cotisations sociales, suivi "
        "médical, formation professionnelle et pouvoir disciplinaire. L'adhérent "
        "signale au groupement tout fait pouvant relever de ce pouvoir.",
    )

    _article(document, 7, "Obligations de l'adhérent, structure utilisatrice")
    _para(
        document,
        "Pendant la mise à disposition, l'adhérent organise le travail des salariés et "
        "fixe les conditions d'exécution des missions (durée du travail, repos, "
        "horaires convenus). Il est responsable de la santé et de la sécurité au "
        "travail sur le lieu de travail qu'il fournit : il informe les salariés des "
        "risques et des consignes de sécurité et prévient le groupement sans délai de "
        "tout accident ou incident.",
    )
    _para(
        document,
        "L'adhérent inscrit les salariés mis à disposition sur son registre unique du "
        f"personnel avec la mention « mis à disposition par le groupement d'employeurs "
        f"{seller.name}, {', '.join(seller.address_block)} ».",
    )
    _para(
        document,
        "Les salariés mis à disposition bénéficient des mêmes conditions de travail que "
        "le personnel de l'adhérent ; tout avantage complémentaire dû à ce titre est "
        "refacturé à son coût réel.",
    )

    _article(document, 8, "Solidarité des membres")
    _para(
        document,
        f"Conformément à l'article L1253-8 du Code du travail, « {JOINT_LIABILITY} ». "
        "L'adhérent en a connaissance ; la répartition éventuelle de ces dettes entre "
        "les membres relève des statuts du groupement.",
    )


def _article_9_duration(document: DocxDocument, doc: ConventionDocument) -> None:
    _article(document, 9, "Durée, révision et fin")
    _para(
        document,
        f"La présente convention prend effet le {formats.fr_date(doc.start)} et prend "
        f"fin le {formats.fr_date(doc.end)}. Le volume d'heures et les taux de l'année "
        "suivante font l'objet d'une nouvelle convention. Elle peut être modifiée par "
        "avenant signé des deux parties. Le retrait ou l'exclusion de l'adhérent met "
        "fin à la convention à sa date d'effet ; les heures effectuées et la "
        "régularisation de l'année restent dues.",
    )


def _convention_signatures(document: DocxDocument, doc: ConventionDocument) -> None:
    seller, member = doc.seller, doc.member
    _para(document, space_after=6)
    _para(document, f"Fait à {seller.city}, le {PLACEHOLDER}, en deux exemplaires originaux.")
    _signatures(
        document,
        (
            (
                "Pour le groupement d'employeurs",
                seller.name,
                (
                    f"Nom et qualité : {doc.ge_signatory or PLACEHOLDER}",
                    "« Lu et approuvé », signature et cachet",
                ),
            ),
            (
                "Pour la structure utilisatrice",
                member.name,
                (
                    f"Nom et qualité : {doc.member_signatory or PLACEHOLDER}",
                    "« Lu et approuvé », signature et cachet",
                ),
            ),
        ),
        blank_lines=3,
    )
