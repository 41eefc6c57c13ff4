"""The close's checks speak the reader's language on the page and stay French in the CLI
(issue 14: English mode complete, service messages included)."""

from __future__ import annotations

from datetime import date

from flask_babel import refresh

from eage.closing.services import check_month


def _messages(month: date, today: date) -> list[str]:
    return [p.message for p in check_month(month, today=today)]


def test_a_month_not_ended_is_said_in_english_on_an_english_page(app, demo) -> None:
    with app.test_request_context("/cloture/", headers={"Cookie": "lang=en"}):
        refresh()
        messages = _messages(date(2026, 12, 1), date(2026, 12, 15))
    assert "month 2026-12 has not ended: it can be closed from 01/01/2027" in messages
    assert not any("n'est pas terminé" in m for m in messages)


def test_the_same_check_stays_french_outside_a_request(app, demo) -> None:
    messages = _messages(date(2026, 12, 1), date(2026, 12, 15))
    assert "le mois 2026-12 n'est pas terminé : clôture possible à partir du 01/01/2027" in messages
