"""Notifications at issue and the member's own people (issue 18).

- The month close and a credit note e-mail each new document to its member's active users,
  the stored PDF attached byte for byte (same SHA-256 as the stored document, SPEC §5:
  "a document is written once, with its SHA-256"), with a link to the portal.
- The member admin invites a colleague (a link by e-mail; the password rules of
  eage/auth/passwords.py: ANSSI/OWASP ASVS V2.1.1, 12 characters), removes a user; every
  action is audited; nobody reaches another member's users."""

from __future__ import annotations

import email
import hashlib
import re
from datetime import date
from email.message import Message
from pathlib import Path

import pytest
from flask import g
from sqlalchemy import select

from eage.auth import sessions
from eage.extensions import db
from eage.invoicing import documents as invoicing_documents
from eage.invoicing import services as invoicing
from eage.models import AuditLog, Invoice, Member, User
from tests.eage.partial_year import october_closed_november_open
from tests.placeholders import placeholder_job


def _outbox(app, stem: str) -> list[Message]:  # type: ignore[no-untyped-def]
    folder = Path(app.config["OUTBOX_PATH"])
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob(f"{stem}*.eml"))]


def _pdf(msg: Message) -> tuple[str, bytes]:
    part = next(p for p in msg.walk() if p.get_content_type() == "application/pdf")
    return part.get_filename() or "", part.get_payload(decode=True)  # type: ignore[return-value]


def _body(msg: Message) -> str:
    part = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()  # type: ignore[union-attr]


def test_the_close_mails_each_invoice_to_its_members_users_with_the_stored_pdf(app, demo) -> None:  # type: ignore[no-untyped-def]
    october_closed_november_open()
    invoice = db.session.scalar(select(Invoice).where(Invoice.number == "F-2026-0002"))
    stored = invoice.document("invoice_pdf")
    (msg,) = _outbox(app, "notify-F-2026-0002")
    assert msg["To"] == "lefil@equipe-associee.example"  # LEFIL's user, nobody else's
    name, data = _pdf(msg)
    assert name == stored.filename
    assert hashlib.sha256(data).hexdigest() == stored.sha256
    body = _body(msg)
    assert "F-2026-0002" in body and "470,34" in body and "/portail" in body
    assert "28/12/2026" in body  # to pay by
    # FABRIQUE has no user: its invoice is issued, no one is mailed
    assert _outbox(app, "notify-F-2026-0001") == []
    line = db.session.scalar(select(AuditLog).where(AuditLog.action == "notify"))
    assert line.entity_id == "F-2026-0002"


def test_a_credit_note_is_mailed_with_its_pdf(app, demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    october_closed_november_open()
    monkeypatch.setattr(invoicing_documents, "render_job", placeholder_job)
    invoice = db.session.scalar(select(Invoice).where(Invoice.number == "F-2026-0002"))
    note = invoicing.create_credit_note(
        invoice, reason="heures saisies en double", issue_date=date(2026, 11, 28)
    )
    (msg,) = _outbox(app, f"notify-{note.number}")
    _name, data = _pdf(msg)
    assert hashlib.sha256(data).hexdigest() == note.document("invoice_pdf").sha256
    assert msg["Subject"].startswith(f"Avoir {note.number}")


def test_no_mail_for_a_user_who_was_removed(app, demo) -> None:  # type: ignore[no-untyped-def]
    user = db.session.scalar(select(User).where(User.email == "lefil@equipe-associee.example"))
    user.active = False
    db.session.commit()
    october_closed_november_open()
    assert _outbox(app, "notify-") == []


def _login(client, user: User):  # type: ignore[no-untyped-def]
    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        sessions.stamp(session, user)
    return client


@pytest.fixture()
def admin(login_as):  # type: ignore[no-untyped-def]
    return login_as("member")  # the demo LEFIL user is its member's admin


def test_the_member_admin_invites_a_colleague_who_then_signs_in(app, admin) -> None:  # type: ignore[no-untyped-def]
    response = admin.post(
        "/portail/utilisateurs", data={"email": "Paul@Le-Fil.example", "name": "Paul Roux"}
    )
    assert response.status_code == 302
    invited = db.session.scalar(select(User).where(User.email == "paul@le-fil.example"))
    lefil = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    assert invited.member_id == lefil.id and invited.role == "member"
    assert not invited.active and not invited.member_admin
    users_page = admin.get("/portail/utilisateurs").get_data(as_text=True)
    assert "paul@le-fil.example" in users_page and "invitation envoyée" in users_page
    (msg,) = _outbox(app, f"invitation-{invited.id}")
    link = re.search(r"http://\S+/invitation/\S+", _body(msg))
    assert link is not None
    path = link.group(0).split("localhost", 1)[1]

    admin.post("/deconnexion")
    g.pop("_login_user", None)
    # the same rules as everyone: too short and common, and not the same twice
    refused = admin.post(path, data={"password": "password", "password_confirm": "passw0rd"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "au moins 12 caractères" in text
    assert "plus courants" in text and "pas identiques" in text
    assert not db.session.get(User, invited.id).active
    accepted = admin.post(
        path, data={"password": "fil-rouge-2026-paul", "password_confirm": "fil-rouge-2026-paul"}
    )
    assert accepted.status_code == 302
    assert db.session.get(User, invited.id).active
    assert admin.post(path, data={}).status_code == 302  # a used link no longer opens
    signed_in = admin.post(
        "/connexion", data={"email": "paul@le-fil.example", "password": "fil-rouge-2026-paul"}
    )
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/portail")
    assert admin.get("/portail").status_code == 200
    # not an admin: the users page is not for it
    assert admin.get("/portail/utilisateurs").status_code == 403
    actions = [a.action for a in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]
    assert "invite" in actions and "accept_invitation" in actions


def test_an_address_with_an_account_is_refused_and_nothing_changes(app, admin) -> None:  # type: ignore[no-untyped-def]
    before = db.session.query(User).count()
    response = admin.post("/portail/utilisateurs", data={"email": "compta@equipe-associee.example"})
    assert response.status_code == 200
    assert "Cette adresse a déjà un compte." in response.get_data(as_text=True)
    assert db.session.query(User).count() == before and _outbox(app, "invitation") == []


def test_the_admin_removes_a_user_of_its_member_only(app, admin) -> None:  # type: ignore[no-untyped-def]
    lefil = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    fabrique = db.session.scalar(select(Member).where(Member.code == "FABRIQUE"))
    colleague = User(email="anne@le-fil.example", role="member", member=lefil)
    outsider = User(email="marc@fabrique.example", role="member", member=fabrique)
    for u in (colleague, outsider):
        u.set_password("une-phrase-assez-longue")
        db.session.add(u)
    db.session.commit()
    page = admin.get("/portail/utilisateurs").get_data(as_text=True)
    assert "anne@le-fil.example" in page and "marc@fabrique.example" not in page
    # another member's user: 404, untouched
    assert admin.post(f"/portail/utilisateurs/{outsider.id}/retirer").status_code == 404
    assert db.session.get(User, outsider.id).active
    # its own colleague: removed (inactive, sessions ended), audited
    version = colleague.session_version
    assert admin.post(f"/portail/utilisateurs/{colleague.id}/retirer").status_code == 302
    removed = db.session.get(User, colleague.id)
    assert not removed.active and removed.session_version == version + 1
    assert "retiré</span>" in admin.get("/portail/utilisateurs").get_data(as_text=True)
    line = db.session.scalar(select(AuditLog).where(AuditLog.action == "remove"))
    assert line.entity_id == str(colleague.id)
    # and not itself
    me = db.session.scalar(select(User).where(User.email == "lefil@equipe-associee.example"))
    admin.post(f"/portail/utilisateurs/{me.id}/retirer")
    assert db.session.get(User, me.id).active


def test_a_member_user_who_is_not_admin_cannot_manage_users(app, demo, client) -> None:  # type: ignore[no-untyped-def]
    lefil = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    plain = User(email="anne@le-fil.example", role="member", member=lefil)
    plain.set_password("une-phrase-assez-longue")
    db.session.add(plain)
    db.session.commit()
    _login(client, plain)
    assert client.get("/portail/utilisateurs").status_code == 403
    assert (
        client.post("/portail/utilisateurs", data={"email": "x@le-fil.example"}).status_code == 403
    )
    assert "Gérer les utilisateurs" not in client.get("/portail").get_data(as_text=True)


def test_the_instance_admin_names_a_members_admin(app, login_as) -> None:  # type: ignore[no-untyped-def]
    """The first admin of a member is named in the back office (admin role, audited)."""
    lefil = db.session.scalar(select(Member).where(Member.code == "LEFIL"))
    anne = User(email="anne@le-fil.example", role="member", member=lefil)
    anne.set_password("une-phrase-assez-longue")
    db.session.add(anne)
    db.session.commit()
    client = login_as("admin")
    form = {"email": anne.email, "role": "member", "member_id": str(lefil.id), "active": "y"}
    response = client.post(
        f"/admin/utilisateurs/{anne.id}/modifier", data={**form, "member_admin": "y"}
    )
    assert response.status_code == 302
    assert db.session.get(User, anne.id).member_admin
    line = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "update", AuditLog.entity_id == str(anne.id))
    )
    assert line.after == {"member_admin": True}
    # a back-office role is never a member's admin
    client.post(
        f"/admin/utilisateurs/{anne.id}/modifier",
        data={**form, "role": "manager", "member_id": "", "member_admin": "y"},
    )
    assert not db.session.get(User, anne.id).member_admin
