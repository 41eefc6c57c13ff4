"""The member's IBAN (issue 16: a bank line from it is the member's payment): entered on the
member form with or without spaces, refused when its ISO 13616 check digits are wrong or
when another member already pays from it."""

from __future__ import annotations

from html import unescape

from sqlalchemy import select

from eage.extensions import db
from eage.models import Member
from tests.eage.members.test_members import _form

GOOD = "FR76 3000 6000 0112 3456 7890 189"


def test_member_iban_is_checked_and_kept_compact(login_as) -> None:
    client = login_as("accountant")
    bad = client.post("/adherents/nouveau", data=_form(iban="FR76 3000 6000 0112 3456 7890 188"))
    assert "IBAN invalide" in unescape(bad.get_data(as_text=True))
    assert db.session.scalar(select(Member).where(Member.code == "NOUVO")) is None
    ok = client.post("/adherents/nouveau", data=_form(iban=GOOD), follow_redirects=True)
    assert ok.status_code == 200
    member = db.session.scalar(select(Member).where(Member.code == "NOUVO"))
    assert member.iban == "FR7630006000011234567890189"
    twice = client.post(
        "/adherents/nouveau",
        data=_form(
            code="autre", siret="", siren="", vat_number="", vat_regime="exempt_261B", iban=GOOD
        ),
    )
    assert "déjà celui d'un autre adhérent" in unescape(twice.get_data(as_text=True))
