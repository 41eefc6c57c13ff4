"""Who may open each endpoint: the expectation of tests/eage/test_access.py, written by hand.

Read from the SPEC, not from the `roles_required`/`api_roles` decorators the test checks.
SPEC §2 (Users):
- `accountant`: everything operational (members, staff, timesheets, imports, month close,
  payroll, invoices, credit notes, payments, exports);
- `manager`: reads everything; edits budgets, rates and allocation keys; views reports;
- `member`: the member portal only, its own documents, nothing of any other member;
- `admin`: users, roles, reopening a closed month (audited), settings; it runs the instance,
  so it reads the back office like a manager (but changes nothing operational).
SPEC §8: "roles checked on every route; a member user can never read another member's data,
by page, API or document URL". So every endpoint of the url_map has a row here, and a new
route cannot ship without one (the test fails on an endpoint missing from ACCESS).

`ANONYMOUS` stands for a visitor who is not signed in; public endpoints list it.
"""

from __future__ import annotations

ACCOUNTANT = "accountant"
MANAGER = "manager"
MEMBER = "member"
ADMIN = "admin"
ANONYMOUS = "anonymous"
SIGNED_IN = frozenset({ACCOUNTANT, MANAGER, MEMBER, ADMIN})

# Public: the login page, the root that sends each visitor where they belong, the language
# switch, the static files and the OpenAPI document (SPEC §7 publishes the API's contract).
EVERYONE = frozenset({ANONYMOUS, *SIGNED_IN})
# §2: every back-office page is read by the accountant, the manager and the admin.
BACK_OFFICE = frozenset({ACCOUNTANT, MANAGER, ADMIN})
# §2: "everything operational" changes are the accountant's alone.
OPERATIONS = frozenset({ACCOUNTANT})
# §2: the manager "edits budgets, rates and allocation keys" besides the accountant.
BUDGETING = frozenset({ACCOUNTANT, MANAGER})
# §2: "users, roles, reopening a closed month, settings" are the admin's alone.
ADMINISTRATION = frozenset({ADMIN})
# §2: the member user sees the portal only, its member taken from the account, never the URL.
PORTAL = frozenset({MEMBER})
# §2 + §8: one URL for everyone signed in, the member user scoped to its own member's rows
# (another member's invoice or document answers 404 in the view).
SCOPED_TO_OWN_MEMBER = SIGNED_IN
# The audit journal: the admin (who runs the instance) and the accountant (who is audited).
AUDIT_READERS = frozenset({ACCOUNTANT, ADMIN})

ACCESS: dict[str, frozenset[str]] = {
    # Public.
    "static": EVERYONE,
    "bootstrap.static": EVERYONE,
    "auth.login": EVERYONE,
    # The second step of signing in, and the password forgotten: before anyone is signed in.
    "auth.login_code": EVERYONE,
    "auth.forgot_password": EVERYONE,
    "auth.reset_password": EVERYONE,
    "core.index": EVERYONE,
    "core.set_language": EVERYONE,
    "api.openapi": EVERYONE,
    # The health check of the proxy and the monitoring: "ok" or which part is down.
    "health.healthz": EVERYONE,
    # Signing out: whoever is signed in.
    "auth.logout": SIGNED_IN,
    # « Mon compte »: one's own password for everyone; two-factor sign-in for the two roles
    # that hold the keys (the admin and the accountant).
    "account.index": SIGNED_IN,
    "account.change_password": SIGNED_IN,
    "account.totp": frozenset({ADMIN, ACCOUNTANT}),
    "account.totp_disable": frozenset({ADMIN, ACCOUNTANT}),
    # Home pages: the back-office home, the member portal.
    "core.home": BACK_OFFICE,
    "core.portal": PORTAL,
    # Administration (§2 admin).
    "admin.users": ADMINISTRATION,
    "admin.create_user": ADMINISTRATION,
    "admin.edit_user": ADMINISTRATION,
    "admin.create_token": ADMINISTRATION,
    "admin.revoke_token": ADMINISTRATION,
    "admin.journal": AUDIT_READERS,
    "admin.settings": ADMINISTRATION,
    "closing.reopen": ADMINISTRATION,
    # Members (§2 accountant: members).
    "members.index": BACK_OFFICE,
    "members.detail": BACK_OFFICE,
    "members.create": OPERATIONS,
    "members.edit": OPERATIONS,
    "members.planned_hours": OPERATIONS,
    # Staff (§2 accountant: staff).
    "staff.index": BACK_OFFICE,
    "staff.detail": BACK_OFFICE,
    "staff.create": OPERATIONS,
    "staff.edit": OPERATIONS,
    "staff.add_contract": OPERATIONS,
    "staff.edit_contract": OPERATIONS,
    # Service catalogue: services are operational, their yearly rate is the manager's too.
    "catalog.index": BACK_OFFICE,
    "catalog.create": OPERATIONS,
    "catalog.edit": OPERATIONS,
    "catalog.rate": BUDGETING,
    # Timesheets and their import (§2 accountant: timesheets, imports).
    "timesheets.week": BACK_OFFICE,
    "timesheets.month_employee": BACK_OFFICE,
    "timesheets.month_member": BACK_OFFICE,
    "timesheets.week_save": OPERATIONS,
    "timesheets.import_upload": OPERATIONS,
    "timesheets.import_confirm": OPERATIONS,
    "timesheets.import_model": OPERATIONS,
    # Expenses and operating income (§2 accountant: imports, exports; manager reads).
    "expenses.index": BACK_OFFICE,
    "expenses.income_index": BACK_OFFICE,
    "expenses.create": OPERATIONS,
    "expenses.edit": OPERATIONS,
    "expenses.delete": OPERATIONS,
    "expenses.import_file": OPERATIONS,
    "expenses.income_create": OPERATIONS,
    "expenses.income_edit": OPERATIONS,
    "expenses.income_delete": OPERATIONS,
    # Month close (§2 accountant: month close; reopening is the admin's, above).
    "closing.index": BACK_OFFICE,
    "closing.progress_page": BACK_OFFICE,
    "closing.progress_json": BACK_OFFICE,
    "closing.close": OPERATIONS,
    # Payroll (§2 accountant: payroll; manager reads everything).
    "payslips.index": BACK_OFFICE,
    "payslips.by_employee": BACK_OFFICE,
    "payslips.detail": BACK_OFFICE,
    "payslips.pdf": BACK_OFFICE,
    "payslips.docx": BACK_OFFICE,
    "payslips.journal_pdf": BACK_OFFICE,
    "payslips.journal_xlsx": BACK_OFFICE,
    "payslips.preview": BACK_OFFICE,
    "payslips.simulator": BACK_OFFICE,
    # The payroll settlements (421/431/437/4421 → 512) are books: the accountant records
    # them, the admin reads them (see POST_ACCESS); the manager does not.
    "payslips.settlements_page": frozenset({ACCOUNTANT, ADMIN}),
    # The taxe sur les salaires: read by the back office, posted by the accountant.
    "payslips.salary_tax_page": BACK_OFFICE,
    # Invoices, credit notes, payments (§2 accountant); the member reads its own (§2, §8).
    "invoicing.index": BACK_OFFICE,
    "invoicing.overdue": BACK_OFFICE,
    "invoicing.payments": BACK_OFFICE,  # recording a payment: see POST_ACCESS
    "invoicing.detail": SCOPED_TO_OWN_MEMBER,
    "invoicing.document": SCOPED_TO_OWN_MEMBER,
    "invoicing.credit_note": OPERATIONS,
    "invoicing.apply_credit": OPERATIONS,
    "invoicing.send": OPERATIONS,
    "invoicing.portal_invoices": PORTAL,
    # Reminders of overdue invoices and security deposits (issue 16): the back office reads,
    # the accountant sends and books (§2 accountant: invoices, payments); never a member.
    "reminders.index": BACK_OFFICE,
    "reminders.preview": BACK_OFFICE,
    "reminders.preview_pdf": BACK_OFFICE,
    "reminders.document": BACK_OFFICE,
    "reminders.send": OPERATIONS,
    "reminders.deposits": BACK_OFFICE,
    "reminders.deposit_ask": OPERATIONS,
    "reminders.deposit_receive": OPERATIONS,
    "reminders.deposit_refund": OPERATIONS,
    "reminders.refund_credit": OPERATIONS,
    "reminders.penalty_invoice": OPERATIONS,
    # Year-end regularisation: the accountant runs it, the member reads its own statement.
    "regularisation.index": BACK_OFFICE,
    "regularisation.annual_statement": BACK_OFFICE,
    "regularisation.run": OPERATIONS,
    "regularisation.portal_annual_statement": PORTAL,
    # Budget and rates (§2 manager: edits budgets and rates); the member gets its convention.
    "budget.index": BACK_OFFICE,
    "budget.fiscal_year": BUDGETING,
    "budget.create_line": BUDGETING,
    "budget.edit_line": BUDGETING,
    "budget.delete_line": BUDGETING,
    "rates.index": BACK_OFFICE,
    "rates.convention": BACK_OFFICE,
    "rates.adopt": BUDGETING,
    "rates.portal_convention": PORTAL,
    # Reports (§2 manager: views reports).
    "allocation.index": BACK_OFFICE,
    "dashboard.index": BACK_OFFICE,
    "dashboard.export": BACK_OFFICE,
    # Books (§2 accountant: exports, the ledger; manager and admin read).
    "books.index": BACK_OFFICE,
    "books.chart": BACK_OFFICE,
    "books.entry": BACK_OFFICE,
    "books.general_ledger": BACK_OFFICE,
    "books.trial_balance": BACK_OFFICE,
    "books.member_ledger": BACK_OFFICE,
    "books.integrity": BACK_OFFICE,
    "books.fec": BACK_OFFICE,
    # Prints of the books and the aged receivables: read like the pages they print.
    "books.journals_pdf": BACK_OFFICE,
    "books.trial_balance_pdf": BACK_OFFICE,
    "books.general_ledger_pdf": BACK_OFFICE,
    "books.member_ledger_pdf": BACK_OFFICE,
    "books.aged_receivables": BACK_OFFICE,
    "books.aged_receivables_pdf": BACK_OFFICE,
    "books.vat_page": BACK_OFFICE,
    "books.vat_csv": BACK_OFFICE,
    "books.account": OPERATIONS,
    "books.new_entry": OPERATIONS,
    "books.validate": OPERATIONS,
    "books.delete": OPERATIONS,
    # SPEC §5 "Locks": the fiscal years are read by the back office; locking a period and
    # closing a year are the accountant's, or the admin's who runs the instance.
    "books.years": BACK_OFFICE,
    "books.lock": frozenset({ACCOUNTANT, ADMIN}),
    "books.close_year": frozenset({ACCOUNTANT, ADMIN}),
    # JSON API (§7), by bearer token; a member token sees only its member (§8).
    "api.members": SCOPED_TO_OWN_MEMBER,
    "api.services": SCOPED_TO_OWN_MEMBER,
    "api.invoices": SCOPED_TO_OWN_MEMBER,
    "api.invoice": SCOPED_TO_OWN_MEMBER,
    "api.list_timesheets": SCOPED_TO_OWN_MEMBER,
    "api.allocation": SCOPED_TO_OWN_MEMBER,
    "api.employees": BACK_OFFICE,
    "api.list_payslips": BACK_OFFICE,
    "api.create_timesheets": OPERATIONS,
    # SEPA files out (issue 16): the back office reads the batches and mandates; the
    # accountant writes mandates, generates the files and downloads them (IBANs inside); the
    # creditor settings are the accountant's and the admin's (who keeps the settings).
    "sepa.index": BACK_OFFICE,
    "sepa.mandate_list": BACK_OFFICE,
    "sepa.download": OPERATIONS,
    "sepa.mandate_create": OPERATIONS,
    "sepa.mandate_revoke": OPERATIONS,
    "sepa.debit_batch": OPERATIONS,
    "sepa.transfer_batch": OPERATIONS,
    "sepa.settings": frozenset({ACCOUNTANT, ADMIN}),
    # issue 16: bank statements; reading for the back office, booking for the accountant
    "bank.index": BACK_OFFICE,
    "bank.statement": BACK_OFFICE,
    "bank.import_statement": OPERATIONS,
    "bank.confirm": OPERATIONS,
    "bank.assign": OPERATIONS,
    "bank.csv_formats": OPERATIONS,
    # Issue 18: the member portal's pages (the member taken from the account; the users
    # page refuses a member user who is not its member's admin), and the invitation link
    # opened before the invited person has an account it can sign in with.
    "portal.documents_page": PORTAL,
    "portal.year_zip": PORTAL,
    "portal.account_statement": PORTAL,
    "portal.users": PORTAL,
    "portal.remove_user": PORTAL,
    "portal.accept_invitation": EVERYONE,
    "api.member_summary": SCOPED_TO_OWN_MEMBER,
    # Issue 16: a supplier's IBAN for the SEPA transfers (the accountant's, like the expenses).
    "expenses.supplier_bank": OPERATIONS,
}

# Endpoints whose POST is narrower than their GET: everyone in the back office reads the
# payments page, only the accountant records a payment (§2 accountant: payments).
POST_ACCESS: dict[str, frozenset[str]] = {
    "invoicing.payments": OPERATIONS,
    "payslips.settlements_page": OPERATIONS,
    "payslips.salary_tax_page": OPERATIONS,
}


def allowed(endpoint: str, method: str) -> frozenset[str]:
    """Who may send `method` to `endpoint` (KeyError for an endpoint missing from the table)."""
    if method == "POST" and endpoint in POST_ACCESS:
        return POST_ACCESS[endpoint]
    return ACCESS[endpoint]
