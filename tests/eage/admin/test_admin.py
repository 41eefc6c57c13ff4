"""Users, roles, API tokens and the audit log page."""

from __future__ import annotations

from html import unescape

from sqlalchemy import func, select

from eage.extensions import db
from eage.models import ApiToken, AuditLog, Member, User


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.get_data(as_text=True))


def _user_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "email": "Gaga@Example.org",
        "name": "Gaga jazz",
        "role": "member",
        "member_id": "",
        "active": "y",
        "password": "un-long-mot-de-passe",
        "password_confirm": "un-long-mot-de-passe",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_member_user(login_as) -> None:
    client = login_as("admin")
    gaga = db.session.scalar(select(Member).where(Member.code == "GAGA"))
    html = _page(
        client.post(
            "/admin/utilisateurs/nouveau",
            data=_user_form(member_id=str(gaga.id)),
            follow_redirects=True,
        )
    )
    assert "Utilisateur gaga@example.org créé." in html
    user = db.session.scalar(select(User).where(User.email == "gaga@example.org"))
    assert user.role == "member" and user.member_id == gaga.id and user.active
    assert user.check_password("un-long-mot-de-passe")
    line = db.session.scalar(
        select(AuditLog).where(AuditLog.entity == "user", AuditLog.action == "create")
    )
    assert line.after["email"] == "gaga@example.org" and "password_hash" not in line.after
    assert "GAGA" in _page(client.get("/admin/utilisateurs"))


def test_member_required_for_member_role_and_forbidden_otherwise(login_as) -> None:
    client = login_as("admin")
    before = db.session.scalar(select(func.count(User.id)))
    html = _page(
        client.post("/admin/utilisateurs/nouveau", data=_user_form(password_confirm="autre chose"))
    )
    assert "Un utilisateur adhérent doit être rattaché à une structure adhérente." in html
    assert "Les deux mots de passe ne sont pas identiques." in html
    gaga = db.session.scalar(select(Member).where(Member.code == "GAGA"))
    html = _page(
        client.post(
            "/admin/utilisateurs/nouveau", data=_user_form(role="manager", member_id=str(gaga.id))
        )
    )
    assert "Seul un utilisateur adhérent est rattaché à une structure adhérente." in html
    html = _page(
        client.post(
            "/admin/utilisateurs/nouveau",
            data=_user_form(
                email="compta@equipe-associee.example",
                role="accountant",
                password="court",
                password_confirm="court",
            ),
        )
    )
    assert "déjà celle d'un autre utilisateur" in html and "au moins 12 caractères" in html
    assert db.session.scalar(select(func.count(User.id))) == before


def test_edit_user_and_password(login_as) -> None:
    client = login_as("admin")
    user = db.session.scalar(select(User).where(User.role == "manager"))
    client.post(
        f"/admin/utilisateurs/{user.id}/modifier",
        data=_user_form(
            email=user.email,
            name="Hélène V.",
            role="manager",
            active="",
            password="nouveau-mot-de-passe",
            password_confirm="nouveau-mot-de-passe",
        ),
    )
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (
        user.name == "Hélène V." and not user.active and user.check_password("nouveau-mot-de-passe")
    )
    line = db.session.scalar(
        select(AuditLog).where(AuditLog.entity == "user", AuditLog.action == "update")
    )
    assert (
        line.after == {"name": "Hélène V.", "active": False}
        and "mot de passe modifié" in line.summary
    )


def test_admin_cannot_lock_themself_out(login_as) -> None:
    client = login_as("admin")
    me = db.session.scalar(select(User).where(User.role == "admin"))
    html = _page(
        client.post(
            f"/admin/utilisateurs/{me.id}/modifier",
            data=_user_form(
                email=me.email, role="accountant", active="", password="", password_confirm=""
            ),
        )
    )
    assert "propre rôle d'administrateur" in html and "désactiver votre propre compte" in html
    db.session.expire_all()
    assert db.session.get(User, me.id).role == "admin"


def test_token_shown_once_then_revoked(login_as) -> None:
    client = login_as("admin")
    user = db.session.scalar(select(User).where(User.role == "accountant"))
    html = _page(client.post(f"/admin/utilisateurs/{user.id}/jetons"))
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert "il ne sera plus jamais affiché" in html
    shown = html.split('id="jeton" readonly value="')[1].split('"')[0]
    assert ApiToken.hash(shown) == token.token_hash
    edit = _page(client.get(f"/admin/utilisateurs/{user.id}/modifier"))
    assert token.prefix in edit and shown not in edit
    client.post(f"/admin/jetons/{token.id}/revoquer")
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked
    assert "révoqué" in _page(client.get(f"/admin/utilisateurs/{user.id}/modifier"))
    actions = db.session.scalars(
        select(AuditLog.action).where(AuditLog.entity == "api_token")
    ).all()
    assert sorted(actions) == ["create", "revoke"]


def test_journal_lists_changes_with_filters(login_as) -> None:
    client = login_as("accountant")
    lefil = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    client.post(f"/services/{1}/taux/2027", data={"rate": "40"})
    client.post(f"/adherents/{lefil.id}/heures/2027", data={})
    html = _page(client.get("/admin/journal"))
    assert "service_rate" in html and "40.00" in html and "Camille Roche" in html
    filtered = _page(client.get("/admin/journal?entite=demo"))
    assert "load-demo" in filtered and "service_rate #" not in filtered


def test_manager_cannot_read_the_journal(login_as) -> None:
    # One role per test: the test app context keeps the logged-in user on `g`.
    assert login_as("manager").get("/admin/journal").status_code == 403


def test_accountant_cannot_manage_users(login_as) -> None:
    client = login_as("accountant")
    assert client.get("/admin/utilisateurs").status_code == 403
    assert client.post("/admin/utilisateurs/nouveau", data=_user_form()).status_code == 403


def test_unknown_user_is_404(login_as) -> None:
    assert login_as("admin").get("/admin/utilisateurs/999/modifier").status_code == 404
