"""What the weekly grid says when something is wrong, when a session expired, and in English.

Each problem is said once, naming the row (member / service) and the day; a session that
ended mid-entry brings the user back to the same grid (the browser restores the values: see
tests/browser/test_grid.py); the grid speaks the reader's language, day names included."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date
from urllib.parse import unquote

from sqlalchemy import select

from eage.extensions import db
from eage.models import Member
from tests.eage.timesheets.helpers import counts, entries
from tests.eage.timesheets.test_grid import WEEK, _post


def _error_list(html: str) -> list[str]:
    """The grid's error list as the user reads it."""
    block = re.search(r'<div class="alert alert-danger"[^>]*id="grid-errors".*?</ul>', html, re.S)
    assert block, "no error list"
    items = re.findall(r"<li[^>]*>(.*?)</li>", block.group(0), re.S)
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", i)).strip() for i in items]


def _visible_text(html: str) -> str:
    """The page's text nodes (attributes such as title= left out)."""
    body = re.sub(r"<(script|title)[^>]*>.*?</\1>", "", html, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", body))


def test_each_problem_is_said_once_with_its_row_and_day(as_role, add_entry) -> None:
    add_entry("2026-11-02", "KBENALI", "LEFIL", "PAIE", 420)
    client = as_role("accountant")
    before = counts()
    response = _post(
        client,
        [
            ("LEFIL", "PAIE", ["7", "abc", "", "", "", "", ""]),
            ("INTERNE", "GESTION", ["4", "", "", "", "", "", ""]),  # Monday: 11 h in all
            ("LEFIL", "MALADIE", ["", "", "2", "3", "", "", ""]),  # absence on a member
            ("LEFIL", "PAIE", ["", "", "", "", "1", "", ""]),  # the same pair as row 1
            ("", "", [""] * 7),  # an empty row says nothing
        ],
    )
    assert response.status_code == 422
    assert counts() == before
    html = response.get_data(as_text=True)
    assert _error_list(html) == [
        "Lun. 02/11, lignes 1, 2 — plus de 10 h le 02/11/2026 pour KBENALI (11 h) : maximum"
        " légal 10 h par jour (art. L3121-18 C. trav.)",
        "Ligne 1 (LEFIL / PAIE), mar. 03/11 — durée invalide « abc » (attendu par ex. 7,5 ou 7.5"
        " ou 7:30 ou 7h30)",
        "Ligne 3 (LEFIL / MALADIE), mer. 04/11, jeu. 05/11 — le code d'absence MALADIE n'est"
        " possible que pour le temps interne (INTERNE), pas pour un adhérent",
        "Ligne 4 (LEFIL / PAIE) — ligne en double : même adhérent et même service que la"
        " ligne 1 ; saisissez ces heures sur une seule ligne",
    ]
    text = _visible_text(html)
    # Once each: not again under every cell of Monday, nor in a flash above the list.
    assert text.count("plus de 10 h le 02/11/2026") == 1
    assert text.count("durée invalide « abc »") == 1
    assert text.count("MALADIE n'est possible") == 1
    assert text.count("Rien n'a été enregistré") == 1
    assert "La semaine contient" not in text
    # The fields concerned are red and point at their line of the list.
    assert re.search(r'id="cell-0-0"[^>]*is-invalid[^>]*aria-describedby="grid-msg-1"', html)
    assert re.search(r'id="cell-1-0"[^>]*is-invalid[^>]*aria-describedby="grid-msg-1"', html)
    assert re.search(r'id="activity-2"[^>]*is-invalid[^>]*aria-describedby="grid-msg-3"', html)
    assert not re.search(r'id="member-2"[^>]*is-invalid', html)  # the member is fine
    assert '<a href="#cell-0-1" class="alert-link">' in html  # a click goes to the cell


def test_a_big_value_and_a_member_that_left(as_role) -> None:
    member = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    member.left_on = date(2026, 11, 3)
    db.session.commit()
    client = as_role("accountant")
    response = _post(
        client,
        [
            ("LEFIL", "PAIE", ["", "", "2", "2", "", "", ""]),
            ("INTERNE", "GESTION", ["", "", "", "", "", "25 h", ""]),
        ],
    )
    assert response.status_code == 422
    assert _error_list(response.get_data(as_text=True)) == [
        "Ligne 1 (LEFIL / PAIE), mer. 04/11, jeu. 05/11 — LEFIL n'est plus adhérent le"
        " 04/11/2026 (sortie le 03/11/2026)",
        "Ligne 2 (INTERNE / GESTION), sam. 07/11 — plus de 10 h le 07/11/2026 pour KBENALI"
        " (25 h) : maximum légal 10 h par jour (art. L3121-18 C. trav.)",
    ]
    assert entries() == []


def test_a_month_closed_while_the_grid_was_open(as_role, add_entry, lock_month) -> None:
    add_entry("2026-10-26", "KBENALI", "LEFIL", "PAIE", 420)
    client = as_role("accountant")
    assert 'name="cell-0-0"' in client.get(
        "/temps/semaine?employe=KBENALI&semaine=2026-W44"
    ).get_data(as_text=True)
    lock_month("2026-10")  # closed in between
    response = _post(
        client, [("LEFIL", "PAIE", ["7,00", "5", "", "", "", "", "1"])], week="2026-W44"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert _error_list(html) == [
        "Ligne 1 (LEFIL / PAIE), mar. 27/10 — mois 2026-10 clôturé depuis l'ouverture de la"
        " grille : « 5 » n'est pas enregistré (ce jour est maintenant en lecture seule)"
    ]
    assert entries() == [("2026-10-26", "KBENALI", "LEFIL", "PAIE", 420)]
    # The day is now shown as recorded, read-only; saving again keeps the open Sunday.
    assert 'name="cell-0-1"' not in html
    response = _post(client, [("LEFIL", "PAIE", ["", "", "", "", "", "", "1"])], week="2026-W44")
    assert response.status_code == 302
    assert entries()[-1] == ("2026-11-01", "KBENALI", "LEFIL", "PAIE", 60)


def test_expired_page_returns_to_the_same_grid(app, monkeypatch, as_role) -> None:
    """The session ended (its CSRF token with it): the save goes back to the grid — through
    the sign-in page when signed out — never to an error page; nothing is written."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client = as_role("accountant")
    response = _post(client, [("LEFIL", "PAIE", ["7"] + [""] * 6)], week="2026-W45")
    assert response.status_code == 303
    assert response.headers["Location"] == "/temps/semaine?employe=KBENALI&semaine=2026-W45"
    assert entries() == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "La page avait expiré : rien n&#39;a été enregistré" in page
    # Another form of the area still gets the app's own error page.
    assert client.post("/temps/import").status_code == 400


def test_signed_out_save_comes_back_to_the_grid_after_sign_in(client, as_role) -> None:
    response = client.post(
        "/temps/semaine/enregistrer?employe=KBENALI&semaine=2026-W45",
        data={"employe": "KBENALI", "semaine": "2026-W45", "rows": "0"},
    )
    assert response.status_code == 302
    login = response.headers["Location"]
    assert login.startswith("/connexion?next=")
    target = unquote(login.removeprefix("/connexion?next="))
    assert target == "/temps/semaine/enregistrer?employe=KBENALI&semaine=2026-W45"
    # Signed in again, `next` (a POST address) leads back to that grid, not to a 405.
    back = as_role("accountant").get(target)
    assert back.status_code == 303
    assert back.headers["Location"] == "/temps/semaine?employe=KBENALI&semaine=2026-W45"


def test_saved_grid_tells_the_browser_to_forget_its_draft(as_role) -> None:
    client = as_role("accountant")
    html = client.get(WEEK).get_data(as_text=True)
    assert 'data-draft-key="eage.grid.KBENALI.2026-W45"' in html
    assert "data-draft-clear" not in html
    assert _post(client, [("LEFIL", "PAIE", ["7"] + [""] * 6)]).status_code == 302
    assert 'data-draft-clear="true"' in client.get(WEEK).get_data(as_text=True)
    assert "data-draft-clear" not in client.get(WEEK).get_data(as_text=True)  # once
    # A refused save keeps it (nothing saved yet).
    response = _post(client, [("LEFIL", "PAIE", ["abc"] + [""] * 6)])
    assert response.status_code == 422
    assert "data-draft-clear" not in response.get_data(as_text=True)


def test_grid_in_english(as_role, add_entry) -> None:
    add_entry("2026-11-02", "KBENALI", "LEFIL", "PAIE", 130)  # 2 h 10 = 2.1666… h
    client = as_role("accountant")
    client.set_cookie("lang", "en")
    html = client.get(WEEK).get_data(as_text=True)
    assert 'name="cell-0-0" value="2.17"' in html  # the reader's decimal separator
    assert ">Mon, 11/2" in html and ">Sun, 11/8" in html
    assert 'data-decimal="."' in html
    assert 'data-day-total="1">0.00<' in html
    assert 'data-msg-unreadable="Unreadable duration: 7.5 or 7:30"' in html
    assert 'data-msg-saving="Saving…"' in html
    assert "Unsaved values restored" in html
    for french in ("lun.", "Enregistrer", "Adhérent", "Total du jour", "Dérogation", "2,17"):
        assert french not in html, french
    # Left as displayed in English, the value keeps its exact minutes.
    response = _post(client, [("LEFIL", "PAIE", ["2.17", "abc", "", "", "", "", ""])])
    assert response.status_code == 422
    assert _error_list(response.get_data(as_text=True))[0].startswith(
        "Line 1 (LEFIL / PAIE), Tue, 11/3 — "
    )
    assert _post(client, [("LEFIL", "PAIE", ["2.17"] + [""] * 6)]).status_code == 302
    assert entries()[0][-1] == 130
    page = client.get(WEEK).get_data(as_text=True)
    assert "No change: the week was already up to date." in page


def test_idle_session_on_save_leads_back_to_the_grid(app, monkeypatch, as_role) -> None:
    """The session timed out while the grid was open (SESSION_IDLE_MINUTES): the save is not
    written and, once signed in again, the user is on that grid — never on a 400 or a 405."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client = as_role("accountant")
    page = client.get(WEEK).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    with client.session_transaction() as session:
        session["_seen_at"] -= float(app.config["SESSION_IDLE_MINUTES"]) * 60 + 5
    response = client.post(
        "/temps/semaine/enregistrer?employe=KBENALI&semaine=2026-W45",
        data={
            "csrf_token": token,
            "employe": "KBENALI",
            "semaine": "2026-W45",
            "rows": "1",
            "member-0": "LEFIL",
            "activity-0": "PAIE",
            "cell-0-0": "7",
        },
    )
    assert entries() == []
    # Wherever the first answer goes (the sign-in page, or the grid that sends there), the
    # sign-in page is reached with the grid as where to come back.
    location = response.headers["Location"]
    if not location.startswith("/connexion"):
        location = client.get(location).headers["Location"]
    assert location.startswith("/connexion?next=")
    back = unquote(location.removeprefix("/connexion?next="))
    client = as_role("accountant")
    while back.startswith("/temps/semaine/enregistrer"):
        back = client.get(back).headers["Location"]
    assert back == "/temps/semaine?employe=KBENALI&semaine=2026-W45"
