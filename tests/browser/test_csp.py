"""The small behaviours that used to be inline event handlers (static/eage.js) still work under
the Content-Security-Policy: a confirmation before revoking a token, the token selected for
copying, the member select that reloads the payments page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from eage.extensions import db
from eage.models import ApiToken, User

pytestmark = pytest.mark.browser


def test_token_revocation_asks_first(logged_in, live_server, csp_violations) -> None:  # type: ignore[no-untyped-def]
    page = logged_in("admin")
    user = db.session.scalar(select(User).where(User.role == "accountant"))
    page.goto(f"{live_server}/admin/utilisateurs/{user.id}/modifier")
    page.get_by_role("button", name="Créer un jeton").click()
    field = page.get_by_label("Jeton")
    field.focus()
    token = field.input_value()
    assert len(token) > 20
    assert (
        page.evaluate(
            "() => window.getSelection().toString() || "
            "document.activeElement.value.substring("
            "document.activeElement.selectionStart, "
            "document.activeElement.selectionEnd)"
        )
        == token
    )

    page.get_by_role("link", name="Retour à l'utilisateur").click()
    revoke = page.get_by_role("button", name="Révoquer")
    page.once("dialog", lambda dialog: dialog.dismiss())
    revoke.click()
    page.wait_for_timeout(300)  # a dismissed dialog submits nothing
    db.session.expire_all()
    assert not db.session.scalar(select(ApiToken)).revoked

    page.once("dialog", lambda dialog: dialog.accept())
    revoke.click()
    expect(page.get_by_text("révoqué", exact=False).first).to_be_visible()
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).revoked
    assert csp_violations == []


def test_member_select_reloads_the_payments_page(logged_in, live_server, csp_violations) -> None:  # type: ignore[no-untyped-def]
    page = logged_in("accountant")
    page.goto(live_server + "/paiements/")
    page.get_by_label("Adhérent", exact=True).first.select_option("LEFIL")
    page.wait_for_url("**/paiements/?adherent=LEFIL")
    assert csp_violations == []
