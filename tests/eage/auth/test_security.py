"""Sign-in and sessions as an attacker would probe them: guessing passwords, replaying a saved
cookie, reusing a reset link, skipping the second factor, an expired API token."""

from __future__ import annotations

import email
import email.policy
import json
import re
import time
from pathlib import Path

import pyotp
import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from accounting import formats
from eage.auth import sessions
from eage.extensions import db
from eage.models import ApiToken, AuditLog, User
from eage.models.base import utcnow
from tests.eage.auth.conftest import (
    ADMIN,
    ADMIN_PASSWORD,
    COMPTA,
    COMPTA_PASSWORD,
    fresh,
    replay,
    saved_cookie,
    sign_in,
)


def _failures() -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == "login_failed")))


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


# --------------------------------------------------------------------------- throttling


def test_twenty_wrong_passwords_then_the_right_one_is_refused(client, demo) -> None:
    statuses = [sign_in(client, COMPTA, f"wrong-guess-{i}") for i in range(20)]
    assert statuses[:5] == [200] * 5 and set(statuses[5:]) == {429}
    response = fresh(client).post("/connexion", data={"email": COMPTA, "password": COMPTA_PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives, réessayez dans 15 minutes." in response.get_data(as_text=True)
    assert fresh(client).get("/accueil").status_code == 302  # not signed in


def test_every_failure_is_audited_without_the_password(client, demo) -> None:
    sign_in(client, COMPTA, "wrong-guess-secret")
    sign_in(client, "nobody@example.org", "other-guess-secret")
    lines = _failures()
    assert [(x.after["email"], x.after["reason"]) for x in lines] == [
        (COMPTA, "wrong password"),
        ("nobody@example.org", "unknown e-mail"),
    ]
    assert all(x.after["address"] == "127.0.0.1" for x in lines)
    assert "guess-secret" not in json.dumps([[x.before, x.after, x.summary] for x in lines])


def test_one_address_trying_many_accounts_is_stopped(client, demo) -> None:
    statuses = [sign_in(client, f"guess{i}@example.org", "wrong-guess") for i in range(20)]
    assert set(statuses) == {200}
    assert sign_in(client, COMPTA, COMPTA_PASSWORD) == 429


def test_unknown_and_known_e_mail_get_the_same_answer(client, demo) -> None:
    known = fresh(client).post("/connexion", data={"email": COMPTA, "password": "wrong-guess"})
    unknown = fresh(client).post(
        "/connexion", data={"email": "nobody@example.org", "password": "wrong-guess"}
    )
    assert known.status_code == unknown.status_code == 200
    message = "Adresse e-mail ou mot de passe incorrect."
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_throttling_can_be_turned_off_for_a_test(app, client, demo, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", False)
    for i in range(8):
        sign_in(client, COMPTA, f"wrong-guess-{i}")
    assert sign_in(client, COMPTA, COMPTA_PASSWORD) == 302


# --------------------------------------------------------------------------- sessions


def test_the_session_is_renewed_at_sign_in(app, client, demo) -> None:
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    assert sign_in(client, COMPTA, COMPTA_PASSWORD) == 302
    with client.session_transaction() as session:
        assert "planted" not in session


def test_a_cookie_saved_before_logout_opens_nothing(app, client, demo) -> None:
    sign_in(client, COMPTA, COMPTA_PASSWORD)
    cookie = saved_cookie(client)
    assert replay(app, cookie) == 200
    fresh(client).post("/deconnexion")
    assert replay(app, cookie) == 302


def test_a_cookie_saved_before_a_password_change_opens_nothing(app, browser) -> None:
    laptop, phone = browser(), browser()
    sign_in(laptop, COMPTA, COMPTA_PASSWORD)
    sign_in(phone, COMPTA, COMPTA_PASSWORD)
    old_cookie = saved_cookie(laptop)
    response = fresh(phone).post(
        "/mon-compte/mot-de-passe",
        data={
            "current": COMPTA_PASSWORD,
            "password": "une phrase de passe neuve",
            "password_confirm": "une phrase de passe neuve",
        },
    )
    assert response.status_code == 302
    assert fresh(phone).get("/accueil").status_code == 200  # the session that changed it goes on
    assert replay(app, old_cookie) == 302
    assert _user(COMPTA).check_password("une phrase de passe neuve")


@pytest.mark.parametrize("change", ["password", "deactivation"])
def test_a_cookie_saved_before_an_admin_reset_opens_nothing(app, browser, change) -> None:
    user_client, admin_client = browser(), browser()
    sign_in(user_client, COMPTA, COMPTA_PASSWORD)
    cookie = saved_cookie(user_client)
    sign_in(admin_client, ADMIN, ADMIN_PASSWORD)
    user = _user(COMPTA)
    form = {"email": user.email, "name": user.name, "role": user.role, "active": "y"}
    if change == "password":
        form |= {"password": "remise-a-zero-2026", "password_confirm": "remise-a-zero-2026"}
    else:
        form.pop("active")
    response = fresh(admin_client).post(f"/admin/utilisateurs/{user.id}/modifier", data=form)
    assert response.status_code == 302
    assert replay(app, cookie) == 302


@pytest.mark.parametrize(
    ("stamp", "minutes_ago"),
    [(sessions.SEEN_AT, 31), (sessions.SIGNED_IN_AT, 12 * 60 + 1)],
    ids=["idle-30-min", "older-than-12-h"],
)
def test_idle_and_old_sessions_expire(login_as, stamp, minutes_ago) -> None:
    client = login_as("accountant")
    assert fresh(client).get("/accueil").status_code == 200
    with client.session_transaction() as session:
        session[stamp] = time.time() - minutes_ago * 60
    response = fresh(client).get("/accueil")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert fresh(client).get("/accueil").status_code == 302  # and the session is emptied


def test_a_session_just_within_its_limits_goes_on(login_as) -> None:
    client = login_as("accountant")
    with client.session_transaction() as session:
        session[sessions.SEEN_AT] = time.time() - 29 * 60
        session[sessions.SIGNED_IN_AT] = time.time() - 11 * 3600
    assert fresh(client).get("/accueil").status_code == 200


# --------------------------------------------------------------------------- password policy


def test_the_policy_gives_every_reason_at_once_on_the_web(login_as) -> None:
    client = login_as("accountant")
    before = _user(COMPTA).password_hash
    html = (
        fresh(client)
        .post(
            "/mon-compte/mot-de-passe",
            data={"current": COMPTA_PASSWORD, "password": "azerty", "password_confirm": "azerty"},
        )
        .get_data(as_text=True)
    )
    assert "au moins 12 caractères" in html and "plus courants" in html
    html = (
        fresh(client)
        .post(
            "/mon-compte/mot-de-passe",
            data={"current": COMPTA_PASSWORD, "password": COMPTA, "password_confirm": COMPTA},
        )
        .get_data(as_text=True)
    )
    assert "reprendre l&#39;adresse e-mail" in html
    db.session.expire_all()
    assert _user(COMPTA).password_hash == before


def test_a_wrong_current_password_changes_nothing(login_as) -> None:
    client = login_as("accountant")
    html = (
        fresh(client)
        .post(
            "/mon-compte/mot-de-passe",
            data={
                "current": "not-my-password",
                "password": "une phrase de passe neuve",
                "password_confirm": "une phrase de passe neuve",
            },
        )
        .get_data(as_text=True)
    )
    assert "Mot de passe actuel incorrect." in html
    assert _user(COMPTA).check_password(COMPTA_PASSWORD)


def test_the_admin_cannot_give_a_common_password(login_as) -> None:
    client = login_as("admin")
    html = (
        fresh(client)
        .post(
            "/admin/utilisateurs/nouveau",
            data={
                "email": "nouveau@example.org",
                "role": "manager",
                "active": "y",
                "password": "MotDePasse123",
                "password_confirm": "MotDePasse123",
            },
        )
        .get_data(as_text=True)
    )
    assert "plus courants" in html
    assert db.session.scalar(select(User).where(User.email == "nouveau@example.org")) is None


def test_a_user_the_cli_creates_can_sign_in(runner, client, demo) -> None:
    result = runner.invoke(
        args=["create-user", " Jean.Dupont+Paie@Example.ORG ", "--role", "accountant"],
        input="une phrase de passe sûre\nune phrase de passe sûre\n",
    )
    assert result.exit_code == 0, result.output
    assert sign_in(client, "jean.dupont+paie@example.org", "une phrase de passe sûre") == 302


@pytest.mark.parametrize("address", ["admin@localhost", "a@b", "x@exa mple.org", "@example.org"])
def test_the_cli_refuses_an_address_the_login_form_refuses(runner, client, demo, address) -> None:
    form = fresh(client).post("/connexion", data={"email": address, "password": "whatever-1234"})
    assert "Adresse e-mail invalide." in form.get_data(as_text=True)
    result = runner.invoke(
        args=["create-user", address, "--role", "accountant"],
        input="une phrase de passe sûre\nune phrase de passe sûre\n",
    )
    assert result.exit_code != 0 and "invalid e-mail address" in result.output


# --------------------------------------------------------------------------- API tokens


def test_an_expired_token_is_refused(client, demo) -> None:
    row, token = ApiToken.issue(_user(COMPTA), days=1)
    db.session.add(row)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/members", headers=headers).status_code == 200
    row.expires_at = utcnow()
    db.session.commit()
    response = client.get("/api/v1/members", headers=headers)
    assert response.status_code == 401 and response.get_json() == {"error": "token expired"}


def test_create_token_sets_the_expiry(runner, demo) -> None:
    assert runner.invoke(args=["create-token", COMPTA, "--days", "0"]).exit_code != 0
    result = runner.invoke(args=["create-token", COMPTA, "--days", "30"])
    assert result.exit_code == 0, result.output
    row = db.session.scalars(select(ApiToken)).one()
    days = (row.expires_at - row.created_at).days
    assert days in (29, 30) and "valid until" in result.output


def test_the_admin_sees_expiry_and_last_use(login_as, client) -> None:
    admin = login_as("admin")
    row, token = ApiToken.issue(_user(COMPTA), days=10)
    db.session.add(row)
    db.session.commit()
    client.get("/api/v1/members", headers={"Authorization": f"Bearer {token}"})
    user_id = _user(COMPTA).id
    page = fresh(admin).get(f"/admin/utilisateurs/{user_id}/modifier").get_data(as_text=True)
    assert "Expire le" in page and "Dernière utilisation" in page
    listing = fresh(admin).get("/admin/utilisateurs").get_data(as_text=True)
    compta_row = next(r for r in listing.split("<tr>") if COMPTA in r)
    db.session.refresh(row)
    assert row.last_used_at is not None
    assert (
        formats.fr_date(row.last_used_at.date(), "short", locale="fr")
        in compta_row.split("</td>")[-2]
    )


# --------------------------------------------------------------------------- reset by e-mail


def _body(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return message.get_content()  # type: ignore[attr-defined,no-any-return]


def _reset_link(app) -> str:
    mails = sorted(Path(app.config["OUTBOX_PATH"]).glob("reset-*.eml"))
    assert len(mails) == 1
    body = _body(mails[0])
    match = re.search(r"http://localhost(/mot-de-passe-oublie/[\w.\-]+)", body)
    assert match, body
    return match.group(1)


def test_a_reset_link_works_once(app, client, demo) -> None:
    answer = fresh(client).post("/mot-de-passe-oublie", data={"email": COMPTA})
    assert answer.status_code == 302
    link = _reset_link(app)
    assert fresh(client).get(link).status_code == 200
    new = {"password": "une phrase de passe neuve", "password_confirm": "une phrase de passe neuve"}
    assert fresh(client).post(link, data=new).status_code == 302
    assert sign_in(client, COMPTA, "une phrase de passe neuve") == 302
    fresh(client).post("/deconnexion")
    again = fresh(client).post(link, data={**new, "password": "encore une autre phrase"})
    assert again.status_code == 302 and "/mot-de-passe-oublie" in again.headers["Location"]
    assert _user(COMPTA).check_password("une phrase de passe neuve")


def test_a_reset_link_dies_with_a_password_change(app, client, demo) -> None:
    fresh(client).post("/mot-de-passe-oublie", data={"email": COMPTA})
    link = _reset_link(app)
    user = _user(COMPTA)
    user.set_password("changé-entre-temps-2026")
    db.session.commit()
    assert fresh(client).get(link).status_code == 302


def test_a_reset_link_dies_after_30_minutes(app, client, demo, monkeypatch) -> None:
    fresh(client).post("/mot-de-passe-oublie", data={"email": COMPTA})
    link = _reset_link(app)
    now = int(time.time())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + 29 * 60)
    assert fresh(client).get(link).status_code == 200
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + 31 * 60)
    response = fresh(client).get(link)
    assert response.status_code == 302 and "/mot-de-passe-oublie" in response.headers["Location"]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(app, client, demo) -> None:
    known = fresh(client).post(
        "/mot-de-passe-oublie", data={"email": COMPTA}, follow_redirects=True
    )
    unknown = fresh(client).post(
        "/mot-de-passe-oublie", data={"email": "nobody@example.org"}, follow_redirects=True
    )
    message = "Si l&#39;adresse existe, un lien a été envoyé"
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert len(list(Path(app.config["OUTBOX_PATH"]).glob("reset-*.eml"))) == 1


def test_reset_requests_are_throttled(client, demo) -> None:
    statuses = [
        fresh(client).post("/mot-de-passe-oublie", data={"email": COMPTA}).status_code
        for _ in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]


def test_the_reset_page_applies_the_policy(app, client, demo) -> None:
    fresh(client).post("/mot-de-passe-oublie", data={"email": COMPTA})
    link = _reset_link(app)
    html = fresh(client).post(link, data={"password": "azerty", "password_confirm": "azerty"})
    assert "au moins 12 caractères" in html.get_data(as_text=True)
    assert _user(COMPTA).check_password(COMPTA_PASSWORD)


# --------------------------------------------------------------------------- two-factor


def _enable_totp(client) -> str:
    fresh(client).get("/mon-compte/double-authentification")
    with client.session_transaction() as session:
        secret = session["_totp_secret_to_confirm"]
    wrong = fresh(client).post("/mon-compte/double-authentification", data={"code": "000000"})
    assert wrong.status_code == 200 and _user(COMPTA).totp_secret is None
    code = pyotp.TOTP(secret).now()
    right = fresh(client).post("/mon-compte/double-authentification", data={"code": code})
    assert right.status_code == 302
    return secret


def test_once_enabled_the_code_is_required(client, demo) -> None:
    sign_in(client, COMPTA, COMPTA_PASSWORD)
    secret = _enable_totp(client)
    assert _user(COMPTA).totp_secret == secret
    fresh(client).post("/deconnexion")

    response = fresh(client).post("/connexion", data={"email": COMPTA, "password": COMPTA_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/connexion/code")
    assert fresh(client).get("/accueil").status_code == 302  # the password alone opens nothing
    wrong = fresh(client).post("/connexion/code", data={"code": "000000"})
    assert "Code incorrect." in wrong.get_data(as_text=True)
    assert _failures()[-1].after["reason"] == "wrong code"
    right = fresh(client).post("/connexion/code", data={"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 302 and right.headers["Location"].endswith("/accueil")
    assert fresh(client).get("/accueil").status_code == 200


def test_the_code_page_needs_the_password_first(client, demo) -> None:
    response = fresh(client).post("/connexion/code", data={"code": "123456"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/connexion")


def test_a_manager_has_no_two_factor_page(login_as) -> None:
    client = login_as("manager")
    assert fresh(client).get("/mon-compte/double-authentification").status_code == 403


def test_the_cli_turns_off_two_factor_for_a_lost_phone(runner, demo) -> None:
    user = _user(COMPTA)
    user.totp_secret = pyotp.random_base32()
    db.session.commit()
    assert runner.invoke(args=["disable-totp", COMPTA]).exit_code == 0
    assert _user(COMPTA).totp_secret is None and _user(COMPTA).session_version == 1
    again = runner.invoke(args=["disable-totp", COMPTA])
    assert again.exit_code != 0 and "no two-factor" in again.output


def test_passwords_are_hashed_with_scrypt_outside_the_tests(app, tmp_path) -> None:
    """Production hashes with scrypt (memory-hard); only the suite sets a cheap method."""
    from eage import create_app
    from eage.models import User

    plain = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert plain.config["PASSWORD_HASH_METHOD"] == "scrypt"
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    try:
        user = User(email="x@example.org", role="accountant")
        user.set_password("une phrase de passe")
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password("une phrase de passe")
    finally:
        app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
