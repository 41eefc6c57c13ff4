"""The `eage` commands of SPEC §7: exact formats and messages."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

from sqlalchemy import func, select

from eage.demo import MEMBERS, load_demo
from eage.extensions import db
from eage.models import (
    ApiToken,
    AuditLog,
    BudgetLine,
    Contract,
    Member,
    TimesheetEntry,
    User,
)
from tests.conftest import TODAY


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_load_demo_is_idempotent(runner) -> None:
    # --no-time: the closes of a load with time are tested in tests/eage/test_demo.py
    first = runner.invoke(args=["load-demo", "--year", "2026", "--no-time"])
    assert first.exit_code == 0, first.output
    assert "member LEFIL" in first.output and "Demo users" in first.output
    snapshot = (count(Member), count(BudgetLine), count(User), count(TimesheetEntry))
    second = runner.invoke(args=["load-demo", "--year", "2026", "--no-time"])
    assert second.exit_code == 0
    assert "already loaded: nothing to do" in second.output
    assert (count(Member), count(BudgetLine), count(User), count(TimesheetEntry)) == snapshot


def test_load_demo_if_empty_skips_a_loaded_database(runner, demo) -> None:
    result = runner.invoke(args=["load-demo", "--if-empty"])
    assert result.exit_code == 0 and "demo not loaded" in result.output


def test_demo_group_matches_the_spec(demo) -> None:
    """SPEC §1: 12 members, 3 services, 2.5 FTE, a 2026 budget of exactly 115,000 €."""
    members = db.session.scalars(select(Member)).all()
    assert len(members) == 12
    regimes = {m.code: m.vat_regime for m in members}
    assert {c for c, r in regimes.items() if r == "vat_20"} == {"CINE3C", "YESHT", "LEFIL"}
    assert sum(c.weekly_hours for c in db.session.scalars(select(Contract))) / 35 == Decimal("2.5")
    lines = db.session.scalars(select(BudgetLine).where(BudgetLine.year == 2026)).all()
    assert sum(b.amount for b in lines) == Decimal("115000.00")
    staff = sum(b.amount for b in lines if b.kind == "staff")
    assert Decimal("100000") <= staff <= Decimal("102000")
    assert any("Saint-Joseph" in b.label and b.account.startswith("613") for b in lines)
    assert len(MEMBERS) == 12


def test_demo_time_respects_the_rules(app) -> None:
    """The generated demo time passes the same validation as typed time."""
    load_demo(2026, today=TODAY)
    daily = db.session.execute(
        select(
            TimesheetEntry.employee_id, TimesheetEntry.date, func.sum(TimesheetEntry.minutes)
        ).group_by(TimesheetEntry.employee_id, TimesheetEntry.date)
    ).all()
    assert daily and max(m for _e, _d, m in daily) <= 10 * 60
    assert max(d for _e, d, _m in daily) <= TODAY


def test_create_user_reads_password_twice(runner, demo) -> None:
    result = runner.invoke(
        args=["create-user", "new@example.org", "--role", "member", "--member", "GAGA"],
        input="s3cret-passphrase\ns3cret-passphrase\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user.role == "member" and user.member.code == "GAGA"
    assert user.check_password("s3cret-passphrase") and user.password_hash != "s3cret-passphrase"
    assert db.session.scalar(
        select(AuditLog).where(AuditLog.entity == "user", AuditLog.entity_id == str(user.id))
    )


def test_create_user_errors_change_nothing(runner, demo) -> None:
    before = count(User)
    cases = [
        (
            ["create-user", "x@example.org", "--role", "member"],
            "a-long-pass\na-long-pass\n",
            "--member CODE is required",
        ),
        (
            ["create-user", "x@example.org", "--role", "accountant"],
            "a-long-pass\nother-pass\n",
            "the two passwords differ",
        ),
        (
            ["create-user", "x@example.org", "--role", "accountant"],
            "short\nshort\n",
            "au moins 12 caractères",
        ),
        (
            ["create-user", "x@example.org", "--role", "accountant"],
            "motdepasse123\nmotdepasse123\n",
            "plus courants",
        ),
        (
            ["create-user", "admin@localhost", "--role", "admin"],
            "a-long-passphrase\na-long-passphrase\n",
            "invalid e-mail address",
        ),
        (
            ["create-user", "x@example.org", "--role", "member", "--member", "NOPE"],
            "a-long-pass\na-long-pass\n",
            "unknown member code",
        ),
        (
            ["create-user", "compta@equipe-associee.example", "--role", "accountant"],
            "a-long-pass\na-long-pass\n",
            "already exists",
        ),
        (
            ["create-user", "x@example.org", "--role", "boss"],
            "a-long-pass\na-long-pass\n",
            "Invalid value",
        ),
    ]
    for args, stdin, message in cases:
        result = runner.invoke(args=args, input=stdin)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    assert count(User) == before


def test_create_token_prints_it_on_the_last_line(runner, client, demo) -> None:
    result = runner.invoke(args=["create-token", "bureau@equipe-associee.example"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash == ApiToken.hash(token) and token not in stored.token_hash
    response = client.get("/api/v1/members", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_create_token_unknown_user(runner, demo) -> None:
    result = runner.invoke(args=["create-token", "ghost@example.org"])
    assert result.exit_code != 0 and "unknown user" in result.output


def test_eage_console_script_runs_the_migrations(tmp_path) -> None:
    """`eage init-db` on a fresh instance folder creates the SQLite database (SPEC §7)."""
    env = {
        "EAGE_INSTANCE_PATH": str(tmp_path),
        "PATH": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}",
    }
    eage = [sys.executable, "-c", "from eage.cli import main; main()"]
    result = subprocess.run(
        [*eage, "init-db"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "database is up to date" in result.stdout
    assert (tmp_path / "x.sqlite").exists() and (tmp_path / "secret_key").exists()


def test_demo_identifiers_are_valid(demo) -> None:
    """Fictitious but valid: SIRET/SIREN Luhn, VAT keys, social security numbers (NIR key)."""
    from stdnum.fr import nir, siren, siret, tva

    from eage.models import Employee, Organisation

    org = db.session.scalar(select(Organisation))
    assert siren.is_valid(org.siren) and siret.is_valid(org.siret) and tva.is_valid(org.vat_number)
    for e in db.session.scalars(select(Employee)):
        assert nir.is_valid(e.social_security_number), e.code


def test_load_demo_refuses_a_database_with_real_data(runner, demo) -> None:
    """The demo users' passwords are public: never added to a real group unless forced."""
    member = db.session.scalars(select(Member).where(Member.code == "LEFIL")).one()
    user = User(email="tresorier@vraie-asso.fr", role="member", member=member)
    user.set_password("une phrase de passe assez longue")
    db.session.add(user)
    db.session.add(
        Member(
            code="VRAIE",
            name="Vraie association",
            legal_form="Association",
            joined_on=TODAY,
            vat_regime="vat_20",
        )
    )
    db.session.commit()
    db.session.execute(User.__table__.delete().where(User.email.like("%equipe-associee%")))
    db.session.commit()

    refused = runner.invoke(args=["load-demo", "--year", "2026", "--no-time"])
    assert refused.exit_code != 0
    assert "not the demo's" in refused.output and "member VRAIE" in refused.output
    assert "user tresorier@vraie-asso.fr" in refused.output and "--force" in refused.output
    assert count(User) == 1  # the demo users were not put back

    forced = runner.invoke(args=["load-demo", "--year", "2026", "--no-time", "--force"])
    assert forced.exit_code == 0, forced.output
    assert count(User) == 5
