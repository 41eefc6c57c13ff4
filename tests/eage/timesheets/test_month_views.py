"""Month views per employee and per member: hours with two decimals, totals."""

from __future__ import annotations


def _seed(add_entry) -> None:  # type: ignore[no-untyped-def]
    add_entry("2026-11-02", "KBENALI", "LEFIL", "PAIE", 450)
    add_entry("2026-11-02", "KBENALI", None, "GESTION", 30)
    add_entry("2026-11-03", "KBENALI", "LEFIL", "PAIE", 240)
    add_entry("2026-11-03", "KBENALI", "CINE3C", "PAIE", 200)
    add_entry("2026-11-04", "KBENALI", None, "CP", 420)
    add_entry("2026-11-03", "CMARTIN", "LEFIL", "GESTION", 90)
    add_entry("2026-10-30", "KBENALI", "LEFIL", "PAIE", 60)  # another month


def test_employee_month(as_role, add_entry) -> None:
    _seed(add_entry)
    for role in ("accountant", "manager", "admin"):
        html = as_role(role).get("/temps/mois?employe=KBENALI&mois=2026-11").get_data(as_text=True)
        assert "Karim Benali" in html
        assert "7,50" in html and "0,50" in html and "3,33" in html
        assert "data-month-total>22,33<" in html  # 450+30+240+200+420 = 1340 min
        assert "CP" in html and "INTERNE" in html


def test_member_month(as_role, add_entry) -> None:
    _seed(add_entry)
    html = (
        as_role("manager").get("/temps/adherent?adherent=lefil&mois=2026-11").get_data(as_text=True)
    )
    assert "Le Fil" in html
    assert "KBENALI" in html and "CMARTIN" in html
    assert "data-member-total>13,00 h<" in html  # 450 + 240 + 90 = 780 min
    assert "CINE3C" not in html.split("<table", 1)[1].split("</table>", 1)[0]


def test_month_views_defaults_and_access(as_role, add_entry) -> None:
    _seed(add_entry)
    client = as_role("accountant")
    assert client.get("/temps/mois").status_code == 200
    assert client.get("/temps/adherent?mois=garbage").status_code == 200
    assert "Aucun temps" in client.get("/temps/adherent?adherent=GAGA&mois=2026-11").get_data(
        as_text=True
    )
    member = as_role("member")
    assert member.get("/temps/mois?employe=KBENALI&mois=2026-11").status_code == 403
    assert member.get("/temps/adherent?adherent=LEFIL&mois=2026-11").status_code == 403
