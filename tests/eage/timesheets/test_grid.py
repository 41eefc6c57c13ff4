"""The weekly grid: one POST saves the week, validated as a whole; errors on their cells."""

from __future__ import annotations

import re

from sqlalchemy import select

from eage.extensions import db
from eage.models import AuditLog, TimesheetEntry
from tests.eage.timesheets.helpers import counts, entries

WEEK = "/temps/semaine?employe=KBENALI&semaine=2026-W45"  # Monday 02/11/2026


def _post(
    client,
    rows: list[tuple[str, str, list[str]]],
    week: str = "2026-W45",  # type: ignore[no-untyped-def]
    employee: str = "KBENALI",
    **extra: str,
):
    data = {"employe": employee, "semaine": week, "rows": str(len(rows)), **extra}
    for r, (member, activity, cells) in enumerate(rows):
        data[f"member-{r}"] = member
        data[f"activity-{r}"] = activity
        for d, value in enumerate(cells):
            data[f"cell-{r}-{d}"] = value
    return client.post("/temps/semaine/enregistrer", data=data)


def test_empty_week_shows_empty_rows_and_navigation(as_role) -> None:
    html = as_role("accountant").get(WEEK).get_data(as_text=True)
    assert 'name="rows" value="3"' in html
    assert 'name="cell-2-6"' in html
    assert "semaine=2026-W44" in html and "semaine=2026-W46" in html
    assert "Enregistrer la semaine" in html
    assert 'value="INTERNE"' in html and 'value="MALADIE"' in html
    assert "timesheets/grid.js" in html


def test_save_creates_updates_and_deletes_with_audit(as_role) -> None:
    client = as_role("accountant")
    audit_before = counts()[1]
    response = _post(
        client,
        [
            ("LEFIL", "PAIE", ["7,5", "7:30", "7.5", "", "", "", ""]),
            ("INTERNE", "CP", ["", "", "", "7", "7", "", ""]),
            ("", "", [""] * 7),
        ],
    )
    assert response.status_code == 302
    assert "semaine=2026-W45" in response.headers["Location"]
    assert entries() == [
        ("2026-11-02", "KBENALI", "LEFIL", "PAIE", 450),
        ("2026-11-03", "KBENALI", "LEFIL", "PAIE", 450),
        ("2026-11-04", "KBENALI", "LEFIL", "PAIE", 450),
        ("2026-11-05", "KBENALI", "INTERNE", "CP", 420),
        ("2026-11-06", "KBENALI", "INTERNE", "CP", 420),
    ]
    assert counts()[1] == audit_before + 5
    html = client.get(WEEK).get_data(as_text=True)
    assert 'name="cell-0-0" value="7,50"' in html
    assert "data-week-total-value>36,50" in html

    # Change Monday, clear Tuesday, leave the rest as displayed.
    response = _post(
        client,
        [
            ("LEFIL", "PAIE", ["6", "", "7,50", "", "", "", ""]),
            ("INTERNE", "CP", ["", "", "", "7,00", "7,00", "", ""]),
        ],
    )
    assert response.status_code == 302
    assert entries() == [
        ("2026-11-02", "KBENALI", "LEFIL", "PAIE", 360),
        ("2026-11-04", "KBENALI", "LEFIL", "PAIE", 450),
        ("2026-11-05", "KBENALI", "INTERNE", "CP", 420),
        ("2026-11-06", "KBENALI", "INTERNE", "CP", 420),
    ]
    actions = list(
        db.session.scalars(
            select(AuditLog.action)
            .where(AuditLog.entity == "timesheet_entry")
            .order_by(AuditLog.id)
        )
    )
    assert actions == ["create"] * 5 + ["update", "delete"]
    update = db.session.scalars(select(AuditLog).where(AuditLog.action == "update")).one()
    assert update.before == {"minutes": 450} and update.after == {"minutes": 360}


def test_errors_are_shown_on_their_cells_and_nothing_is_saved(as_role, add_entry) -> None:
    add_entry("2026-11-02", "KBENALI", "LEFIL", "PAIE", 420)
    client = as_role("accountant")
    before = counts()
    response = _post(
        client,
        [
            ("LEFIL", "PAIE", ["7", "abc", "", "", "", "", ""]),
            ("INTERNE", "GESTION", ["4", "", "", "", "", "", ""]),  # Monday: 11 h
            ("LEFIL", "MALADIE", ["", "", "2", "", "", "", ""]),  # absence on a member
        ],
    )
    assert response.status_code == 422
    assert counts() == before
    html = response.get_data(as_text=True)
    assert (
        "rien n&#39;a été enregistré" in html.lower() or "rien n'a été enregistré" in html.lower()
    )
    # The typed values are kept, the bad cells are red and described by the error list.
    assert re.search(r'id="cell-0-1" name="cell-0-1" value="abc" class="[^"]*is-invalid', html)
    assert re.search(r'id="cell-0-1"[^>]*aria-describedby="grid-msg-\d"', html)
    assert "durée invalide « abc »" in html
    # The 10 h rule marks every cell of Monday.
    assert re.search(r'id="cell-0-0" name="cell-0-0" value="7" class="[^"]*is-invalid', html)
    assert re.search(r'id="cell-1-0" name="cell-1-0" value="4" class="[^"]*is-invalid', html)
    assert "plus de 10 h le 02/11/2026 pour KBENALI (11 h)" in html
    # The absence on a member row: the row's selects are flagged.
    assert re.search(r'id="activity-2" name="activity-2" class="[^"]*is-invalid', html)
    assert (
        "MALADIE n&#39;est possible que pour le temps interne" in html
        or "MALADIE n'est possible que pour le temps interne" in html
    )


def test_authorised_exception_allows_up_to_12_hours(as_role) -> None:
    client = as_role("accountant")
    rows = [
        ("LEFIL", "PAIE", ["8", "", "", "", "", "", ""]),
        ("INTERNE", "GESTION", ["3", "", "", "", "", "", ""]),
    ]
    assert _post(client, rows).status_code == 422
    assert _post(client, rows, **{"exception-0": "1"}).status_code == 302
    flags = set(db.session.scalars(select(TimesheetEntry.authorised_exception)))
    assert flags == {True}


def test_week_limit_in_the_grid(as_role) -> None:
    client = as_role("accountant")
    response = _post(client, [("LEFIL", "PAIE", ["10", "10", "10", "10", "8,5", "", ""])])
    assert response.status_code == 422
    assert "plus de 48 h la semaine 2026-W45 pour KBENALI (48 h 30)" in response.get_data(
        as_text=True
    )
    assert counts()[0] == 0


def test_value_left_as_displayed_keeps_its_minutes(as_role, add_entry) -> None:
    add_entry("2026-11-02", "KBENALI", "LEFIL", "PAIE", 130)  # 2 h 10 = 2,1666… h
    client = as_role("accountant")
    html = client.get(WEEK).get_data(as_text=True)
    assert 'value="2,17"' in html
    response = _post(client, [("LEFIL", "PAIE", ["2,17", "", "", "", "", "", ""])])
    assert response.status_code == 302
    assert entries()[0][-1] == 130


def test_duplicate_rows_are_refused(as_role) -> None:
    client = as_role("accountant")
    response = _post(
        client,
        [
            ("LEFIL", "PAIE", ["1", "", "", "", "", "", ""]),
            ("LEFIL", "PAIE", ["", "2", "", "", "", "", ""]),
        ],
    )
    assert response.status_code == 422
    assert "ligne en double" in response.get_data(as_text=True)


def test_closed_month_days_are_read_only(as_role, add_entry, lock_month) -> None:
    # Week 2026-W44 runs from Monday 26/10 (closed October) to Sunday 01/11.
    add_entry("2026-10-26", "KBENALI", "LEFIL", "PAIE", 420)
    lock_month("2026-10")
    client = as_role("accountant")
    html = client.get("/temps/semaine?employe=KBENALI&semaine=2026-W44").get_data(as_text=True)
    assert 'name="cell-0-0"' not in html  # Monday is closed: no input
    assert 'name="cell-0-6"' in html  # Sunday 01/11 is open
    assert "clôturé" in html
    # Even a forged value for a closed day changes nothing there; the open day is saved.
    response = _post(client, [("LEFIL", "PAIE", ["", "", "", "", "", "", "2"])], week="2026-W44")
    assert response.status_code == 302
    assert entries() == [
        ("2026-10-26", "KBENALI", "LEFIL", "PAIE", 420),
        ("2026-11-01", "KBENALI", "LEFIL", "PAIE", 120),
    ]
    # A value typed on the closed Monday (the month closed while the grid was open) is
    # refused by name, not silently dropped; nothing of the week is written.
    response = _post(client, [("LEFIL", "PAIE", ["9", "", "", "", "", "", "3"])], week="2026-W44")
    assert response.status_code == 422
    assert "mois 2026-10 clôturé depuis l" in response.get_data(as_text=True)
    assert entries()[0][-1] == 420 and entries()[1][-1] == 120


def test_managers_and_admins_read_only(as_role, add_entry) -> None:
    add_entry("2026-11-02", "KBENALI", "LEFIL", "PAIE", 420)
    for role in ("manager", "admin"):
        client = as_role(role)
        html = client.get(WEEK).get_data(as_text=True)
        assert 'name="cell-' not in html and "Enregistrer la semaine" not in html
        assert "7,00" in html
        assert _post(client, [("LEFIL", "PAIE", ["1"] + [""] * 6)]).status_code == 403
    assert as_role("member").get(WEEK).status_code == 403


def test_bad_week_parameter_falls_back(as_role) -> None:
    client = as_role("accountant")
    assert client.get("/temps/semaine?employe=KBENALI&semaine=nope").status_code == 200
    assert client.get("/temps/semaine?employe=NOBODY").status_code == 200
    response = client.post("/temps/semaine/enregistrer", data={})
    assert response.status_code == 302
