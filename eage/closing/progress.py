"""The close's progress in words: one step per document as it is produced (invoice n/N for
member X, payslip n/N, the month's entries, the lock, documents n/N), so the bar moves
steadily and the page says what is being done.

Messages are French msgids with their values; the progress page translates them for its
reader (the job itself runs outside any request, in no one's language)."""

from __future__ import annotations

from eage.jobs import NullProgress, Progress


def N_(text: str) -> str:
    """Marks a msgid translated later, where it is shown (eage/closing/routes.py)."""
    return text


PREPARING = N_("Préparation de la clôture")
INVOICE = N_("Facture %(n)s/%(of)s : %(member)s")
PAYSLIP = N_("Bulletin de paie %(n)s/%(of)s : %(employee)s")
ENTRIES = N_("Écritures des frais et produits du mois")
LOCK = N_("Verrouillage du mois et résumé des temps")
DOCUMENTS = N_("Documents %(n)s/%(of)s : factures (PDF Factur-X, Word) et relevés")


class CloseProgress:
    """Maps the close's phases onto one bar: invoices, payslips, entries, lock, documents.
    The counts are known before anything is issued (the plans, the employees to pay)."""

    def __init__(
        self, progress: Progress | NullProgress, *, invoices: int, payslips: int, documents: int
    ) -> None:
        self.progress = progress
        self.invoices = invoices
        self.payslips = payslips
        self.documents_count = documents
        self.total = invoices + payslips + 2 + documents
        progress.step(0, self.total, PREPARING)

    def invoice(self, n: int, member: str) -> None:
        self.progress.step(n, self.total, INVOICE, n=n, of=self.invoices, member=member)

    def payslip(self, n: int, employee: str) -> None:
        done = self.invoices + n
        self.progress.step(done, self.total, PAYSLIP, n=n, of=self.payslips, employee=employee)

    def entries(self) -> None:
        self.progress.step(self.invoices + self.payslips, self.total, ENTRIES)

    def lock(self) -> None:
        self.progress.step(self.invoices + self.payslips + 1, self.total, LOCK)

    def documents(self) -> DocumentsProgress:
        return DocumentsProgress(self)


class DocumentsProgress:
    """What the invoicing area's document rendering reports to (``step(n, of)`` after each
    member's batch of documents), placed after the close's other phases."""

    def __init__(self, close: CloseProgress) -> None:
        self.close = close

    def step(self, done: int, total: int, message: str = "") -> None:
        c = self.close
        offset = c.invoices + c.payslips + 2
        c.progress.step(min(offset + done, c.total), c.total, DOCUMENTS, n=done, of=total)
