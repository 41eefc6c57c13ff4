"""The auditor's FEC reading (accounting/fec_check.py): each rule of art. A47 A-1 LPF that spans
lines catches the fault it is about, and a well-formed year passes."""

from __future__ import annotations

from decimal import Decimal

from accounting.fec_check import audit_fec, summarise_fec
from accounting.ledger import FEC_COLUMNS

NAME = "801234568FEC20251231.txt"


def _line(
    journal: str,
    number: str,
    day: str,
    account: str,
    debit: str,
    credit: str,
    *,
    aux: str = "",
    piece: str = "P1",
    valid: str = "20260110",
    let: str = "",
    datelet: str = "",
) -> str:
    cells = [
        journal,
        {"AN": "À-nouveaux", "VT": "Ventes", "BQ": "Banque", "HA": "Achats"}.get(journal, "OD"),
        number,
        day,
        account,
        "Compte " + account,
        aux,
        ("Adhérent " + aux) if aux else "",
        piece,
        day,
        "Libellé",
        debit,
        credit,
        let,
        datelet,
        valid,
        "",
        "",
    ]
    return "\t".join(cells)


def _file(*lines: str) -> bytes:
    return ("\r\n".join(["\t".join(FEC_COLUMNS), *lines]) + "\r\n").encode("iso-8859-15")


def _good_year() -> list[str]:
    return [
        # opening entries first, validated at the previous closing
        _line("AN", "AN-2025-00001", "20250101", "512000", "100,00", "0,00", valid="20250120"),
        _line("AN", "AN-2025-00001", "20250101", "110000", "0,00", "100,00", valid="20250120"),
        _line("VT", "VT-2025-00001", "20250105", "411000", "120,00", "0,00", aux="411LEFIL",
              piece="F-2025-0001", valid="20250106", let="AA", datelet="20250210"),
        _line("VT", "VT-2025-00001", "20250105", "706100", "0,00", "120,00",
              piece="F-2025-0001", valid="20250106"),
        _line("BQ", "BQ-2025-00001", "20250210", "512000", "120,00", "0,00",
              piece="VIR1", valid="20250210"),
        _line("BQ", "BQ-2025-00001", "20250210", "411000", "0,00", "120,00", aux="411LEFIL",
              piece="VIR1", valid="20250210", let="AA", datelet="20250210"),
        _line("VT", "VT-2025-00002", "20250301", "411000", "50,00", "0,00", aux="411LEFIL",
              piece="F-2025-0002", valid="20250302"),
        _line("VT", "VT-2025-00002", "20250301", "756000", "0,00", "50,00",
              piece="F-2025-0002", valid="20250302"),
    ]  # fmt: skip


def test_a_well_formed_year_passes_and_reads_as_an_accountant_would() -> None:
    data = _file(*_good_year())
    assert audit_fec(data, NAME, 2025) == []
    summary = summarise_fec(data)
    assert summary.result == Decimal("170.00")  # 706 120 + 756 50, no class 6
    assert summary.aux == {"411LEFIL": Decimal("50.00")}
    assert summarise_fec(data, without=("AN",)).total("512") == Decimal("120.00")


def test_a_gap_in_a_journal_numbering_is_reported() -> None:
    lines = [ln.replace("VT-2025-00002", "VT-2025-00003") for ln in _good_year()]
    assert audit_fec(_file(*lines), NAME, 2025) == [
        "journal VT : numérotation non continue (n° 1 à 3 pour 2 écritures)"
    ]


def test_an_entry_number_of_another_journal_or_year_is_reported() -> None:
    lines = _good_year()
    lines[4] = lines[4].replace("BQ-2025-00001", "VT-2024-00001")
    lines[5] = lines[5].replace("BQ-2025-00001", "VT-2024-00001")
    problems = audit_fec(_file(*lines), NAME, 2025)
    assert "ligne 6 : EcritureNum 'VT-2024-00001' hors de la série du journal" in problems


def test_validation_order_dates_outside_the_year_and_a_late_opening_are_reported() -> None:
    lines = _good_year()
    lines[6] = lines[6].replace("20250302", "20250101")  # validated before the previous one
    lines[7] = lines[7].replace("20250302", "20250101")
    lines.append(_line("AN", "AN-2025-00002", "20250101", "512000", "1,00", "0,00"))
    lines.append(_line("AN", "AN-2025-00002", "20250101", "110000", "0,00", "1,00"))
    problems = audit_fec(_file(*lines), NAME, 2025)
    assert "ligne 8 : ValidDate 20250101 antérieure à la précédente" in problems
    assert "ligne 10 : à-nouveau après des écritures de l'exercice" in problems
    out_of_year = [ln.replace("20250301", "20260301") for ln in _good_year()]
    assert "ligne 8 : EcritureDate 20260301 hors de l'exercice" in audit_fec(
        _file(*out_of_year), NAME, 2025
    )


def test_a_result_closing_entry_is_reported() -> None:
    lines = [
        *_good_year(),
        _line("OD", "OD-2025-00001", "20251231", "706100", "120,00", "0,00", piece="CLO"),
        _line("OD", "OD-2025-00001", "20251231", "120000", "0,00", "120,00", piece="CLO"),
    ]
    assert audit_fec(_file(*lines), NAME, 2025) == [
        "ligne 11 : écriture de résultat (120000) hors à-nouveaux"
    ]


def test_lettering_that_does_not_net_to_zero_or_lacks_its_date_is_reported() -> None:
    lines = _good_year()
    lines[6] = lines[6].replace("\t\t\t20250302", "\tAA\t20250210\t20250302", 1)
    problems = audit_fec(_file(*lines), NAME, 2025)
    assert "lettrage AA du compte 411000 411LEFIL non soldé : écart 50.00" in problems
    assert "lettrage AA du compte 411000 411LEFIL : DateLet avant une ligne lettrée" in problems
    lines = _good_year()
    lines[2] = lines[2].replace("\tAA\t20250210\t", "\tAA\t\t")
    assert "ligne 4 : EcritureLet et DateLet vont ensemble" in audit_fec(_file(*lines))


def test_lines_of_one_entry_must_follow_each_other_and_share_date_and_piece() -> None:
    lines = _good_year()
    lines[3], lines[4] = lines[4], lines[3]
    problems = audit_fec(_file(*lines), NAME, 2025)
    assert "ligne 6 : les lignes de l'écriture VT-2025-00001 ne se suivent pas" in problems
    lines = _good_year()
    lines[3] = lines[3].replace("F-2025-0001", "F-2025-0009")
    assert "ligne 5 : l'écriture VT-2025-00001 change de journal, date ou pièce" in audit_fec(
        _file(*lines), NAME, 2025
    )
