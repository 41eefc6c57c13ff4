"""The close reports each document as it is produced (invoice n/N for member X, payslip n/N,
the entries, the lock, documents n/N), so the bar moves steadily and the page says, in its
reader's language, what is being done; at the end, a summary with links."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import refresh

from eage.closing import progress as steps
from eage.closing import services as closing
from eage.extensions import db
from eage.models import Invoice

OCT = date(2026, 10, 1)
TODAY = date(2026, 11, 28)


class Recorder:
    def __init__(self) -> None:
        self.steps: list[tuple[int, int, str, dict[str, Any]]] = []

    def step(self, done: int, total: int, message: str = "", **params: Any) -> None:
        self.steps.append((done, total, message, params))


def test_every_document_is_a_step_of_the_bar(october_time) -> None:
    recorder = Recorder()
    closing.close_month(OCT, today=TODAY, progress=recorder)  # type: ignore[arg-type]
    total = 2 + 3 + 2 + 2  # 2 invoices, 3 payslips, entries, lock, 2 members' documents
    assert {t for _, t, _, _ in recorder.steps} == {total}
    said = [(m, p) for _, _, m, p in recorder.steps]
    assert said[0] == (steps.PREPARING, {})
    invoices = [p for m, p in said if m == steps.INVOICE]
    assert [(p["n"], p["of"]) for p in invoices] == [(1, 2), (2, 2)]
    assert invoices[0]["member"].startswith("FABRIQUE") and invoices[1]["member"].startswith(
        "LEFIL"
    )
    payslips = [p for m, p in said if m == steps.PAYSLIP]
    assert [(p["n"], p["of"]) for p in payslips] == [(1, 3), (2, 3), (3, 3)]
    assert [m for m, _ in said].count(steps.ENTRIES) == 1
    assert [m for m, _ in said].count(steps.LOCK) == 1
    documents = [(p["n"], p["of"]) for m, p in said if m == steps.DOCUMENTS]
    assert documents[-2:] == [(1, 2), (2, 2)]
    done = [d for d, _, _, _ in recorder.steps]
    assert done == sorted(done) and done[-1] == total
    # The bar moves at every document: one distinct position per step after the start.
    assert len(set(done)) == total + 1


def test_the_progress_page_says_the_step_and_ends_on_a_summary_with_links(
    login_as, october_time, close_from_page
) -> None:
    client = login_as("accountant")
    location = close_from_page(client, "2026-10").headers["Location"]
    job_id = re.search(r"/cloture/suivi/(\w+)", location).group(1)  # type: ignore[union-attr]
    state = client.get(f"/cloture/suivi/{job_id}.json").get_json()
    assert state["status"] == "done" and state["done"] == state["total"] == 9
    assert state["message"] == (
        "Mois 2026-10 clôturé : 3 bulletin(s) de paie, 2 facture(s), "
        "2 relevé(s) de mise à disposition."
    )
    html = client.get(location).get_data(as_text=True)
    assert "Ce que la clôture a produit" in html
    assert 'href="/factures/?mois=2026-10"' in html
    assert "/paie/journal/2026-10.pdf" in html or "journal/2026-10.pdf" in html
    for inv in db.session.query(Invoice):
        assert f">{inv.number}</a>" in html
        pdf = next(d for d in inv.documents if d.kind == "invoice_pdf")
        assert f'href="/documents/{pdf.id}"' in html
        body = client.get(f"/documents/{pdf.id}").data
        assert body.startswith(b"%PDF")

    client.set_cookie("lang", "en")
    refresh()
    state = client.get(f"/cloture/suivi/{job_id}.json").get_json()
    assert state["message"] == (
        "Month 2026-10 closed: 3 payslip(s), 2 invoice(s), 2 time statement(s)."
    )
    html = client.get(location).get_data(as_text=True)
    assert "What the close produced" in html and "see the month's invoices" in html
    assert "Ce que la clôture" not in html and "clôturé" not in html


def test_a_running_step_is_read_in_the_readers_language(app, login_as) -> None:
    from eage import jobs

    client = login_as("accountant")
    progress = jobs.Progress("close")
    progress.step(4, 9, steps.PAYSLIP, n=2, of=3, employee="Karim Benali")
    state = client.get(f"/cloture/suivi/{progress.id}.json").get_json()
    assert state["message"] == "Bulletin de paie 2/3 : Karim Benali"
    html = client.get(f"/cloture/suivi/{progress.id}?mois=2026-10").get_data(as_text=True)
    assert 'aria-valuenow="44"' in html and "Bulletin de paie 2/3 : Karim Benali" in html
    client.set_cookie("lang", "en")
    refresh()
    state = client.get(f"/cloture/suivi/{progress.id}.json").get_json()
    assert state["message"] == "Payslip 2/3: Karim Benali"
