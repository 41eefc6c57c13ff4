"""Each rule of SPEC §5 "Time" refuses with a message naming it; every problem at once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from eage.extensions import db
from eage.models import Contract, Employee, Member
from eage.timesheets.validation import RawEntry, check_entries, validate


def raw(
    key: int | str = 2,
    day: str = "2026-11-02",
    employee: str = "KBENALI",
    member: str = "LEFIL",
    service: str = "PAIE",
    hours: str = "7",
    note: str | None = None,
    exception: str | None = None,
) -> RawEntry:
    return RawEntry(key, day, employee, member, service, hours, note, exception)


def messages(*raws: RawEntry, **kw: object) -> list[str]:
    return [p.message for p in check_entries(list(raws), **kw)]  # type: ignore[arg-type]


def test_valid_entries_resolve_codes(demo) -> None:
    checked = validate(
        [
            raw(),
            raw(3, day="2026-11-04", member="interne", service="cp"),
            raw(4, day="03/11/2026", member="lefil", service="gestion", hours="7:30"),
        ]
    )
    assert checked.problems == []
    assert [(e.member_code, e.activity_code, e.minutes) for e in checked.entries] == [
        ("LEFIL", "PAIE", 420),
        ("INTERNE", "CP", 420),
        ("LEFIL", "GESTION", 450),
    ]
    assert checked.entries[1].absence_code == "CP" and checked.entries[1].service_id is None
    assert checked.entries[1].member_id is None


def test_internal_time_may_carry_a_service(demo) -> None:
    assert messages(raw(member="INTERNE", service="GESTION")) == []


def test_closed_month_is_refused(demo, lock_month) -> None:
    lock_month("2026-10")
    assert messages(raw(day="2026-10-15")) == ["mois 2026-10 clôturé : aucune saisie possible"]
    assert messages(raw(day="2026-11-02")) == []


def test_member_who_has_left(demo) -> None:
    member = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    member.left_on = date(2026, 6, 30)
    db.session.commit()
    assert messages(raw(day="2026-07-01")) == [
        "LEFIL n'est plus adhérent le 01/07/2026 (sortie le 30/06/2026)"
    ]
    assert messages(raw(day="2026-06-30")) == []


def test_member_not_yet_joined(demo) -> None:
    assert messages(raw(day="2011-12-30")) == [
        "KBENALI n'est pas sous contrat le 30/12/2011",
        "LEFIL n'est pas adhérent le 30/12/2011 (adhésion le 01/01/2012)",
    ]


def test_employee_out_of_contract(demo) -> None:
    emp = db.session.scalar(select(Employee).where(Employee.code == "JFOURNIER"))
    contract: Contract = emp.contracts[0]
    contract.end_date = date(2026, 10, 31)
    db.session.commit()
    assert messages(raw(employee="JFOURNIER", service="RESEAU", day="2026-11-02")) == [
        "JFOURNIER n'est pas sous contrat le 02/11/2026"
    ]
    assert messages(raw(employee="JFOURNIER", service="RESEAU", day="2026-10-30")) == []


def test_unknown_codes(demo) -> None:
    assert messages(raw(employee="NOBODY", member="NOPE", service="CUISINE")) == [
        "salarié inconnu : NOBODY",
        "adhérent inconnu : NOPE",
        "service inconnu : CUISINE",
    ]


def test_absence_only_on_internal_time(demo) -> None:
    (msg,) = messages(raw(member="LEFIL", service="MALADIE"))
    assert "MALADIE n'est possible que pour le temps interne (INTERNE)" in msg


def test_internal_needs_service_or_absence(demo) -> None:
    assert messages(raw(member="INTERNE", service="")) == ["service ou code d'absence manquant"]
    (msg,) = messages(raw(member="INTERNE", service="VACANCES"))
    assert "service inconnu : VACANCES" in msg and "CP" in msg


@pytest.mark.parametrize("hours", ["0", "-1", "0:00"])
def test_duration_must_be_positive(demo, hours: str) -> None:
    (msg,) = messages(raw(hours=hours))
    assert "durée nulle ou négative" in msg


def test_more_than_10_hours_a_day(demo) -> None:
    assert messages(raw(2, day="2026-11-03", hours="6"), raw(3, day="2026-11-03", hours="4,5")) == [
        "plus de 10 h le 03/11/2026 pour KBENALI (10 h 30) : maximum légal 10 h par jour "
        "(art. L3121-18 C. trav.)"
    ]


def test_exactly_10_hours_is_fine(demo) -> None:
    assert messages(raw(2, hours="6"), raw(3, hours="4")) == []


def test_authorised_exception_up_to_12_hours(demo) -> None:
    assert messages(raw(2, hours="8"), raw(3, hours="4", exception="oui")) == []


def test_more_than_12_hours_even_with_exception(demo) -> None:
    (msg,) = messages(raw(2, hours="8", exception="oui"), raw(3, hours="4:30"))
    assert msg.startswith("plus de 12 h le 02/11/2026 pour KBENALI (12 h 30)")
    assert "art. L3121-18" in msg


def test_day_limit_counts_recorded_entries(add_entry) -> None:
    add_entry("2026-11-02", "KBENALI", "LEFIL", "PAIE", 420)
    (msg,) = messages(raw(hours="3,5"))
    assert "plus de 10 h le 02/11/2026 pour KBENALI (10 h 30)" in msg


def test_replaced_entries_do_not_count(add_entry) -> None:
    entry = add_entry("2026-11-02", "KBENALI", "LEFIL", "PAIE", 420)
    assert messages(raw(hours="9"), replaced=[(entry.employee_id, date(2026, 11, 2))]) == []


def test_more_than_48_hours_a_week_including_recorded_entries(add_entry) -> None:
    # Monday to Thursday already hold 4 × 10 h; Friday 8 h 30 brings the week to 48 h 30.
    for day in ("2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"):
        add_entry(day, "KBENALI", "LEFIL", "PAIE", 600)
    (problem,) = check_entries([raw(7, day="2026-11-06", hours="8:30")])
    assert problem.row == 7
    assert problem.message == (
        "plus de 48 h la semaine 2026-W45 pour KBENALI (48 h 30) : maximum légal 48 h par "
        "semaine (art. L3121-20 C. trav.)"
    )
    assert messages(raw(7, day="2026-11-06", hours="8")) == []
    # The next week starts afresh.
    assert messages(raw(7, day="2026-11-09", hours="8:30")) == []


def test_every_problem_at_once_in_input_order(demo, lock_month) -> None:
    lock_month("2026-10")
    problems = check_entries(
        [
            raw(2),
            raw(3, day="2026-10-01"),
            raw(4, hours="abc", member="NOPE"),
            raw(5, day="31/02/2026"),
        ]
    )
    assert [p.row for p in problems] == [3, 4, 4, 5]
    assert [p.field for p in problems] == ["date", "member", "hours", "date"]
