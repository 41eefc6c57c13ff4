"""eage — the back-office of an employer group (groupement d'employeurs)."""

from __future__ import annotations

import gc
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event

from eage.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "en")


def _instance_path() -> str:
    return os.environ.get("EAGE_INSTANCE_PATH") or str(ROOT / "instance")


def _secret_key(instance: Path) -> str:
    """Generated once into instance/ on first run; never committed."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _tune_sqlite(engine: Any) -> None:
    """SQLite: enforce foreign keys, let readers work during a close (WAL), and make
    concurrent writers wait for the lock instead of failing at once."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=120000")
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.close()


def select_locale() -> str:
    if not has_request_context():  # the `eage` commands speak the default language
        return "fr"
    lang = request.cookies.get("lang")
    if lang in LANGUAGES:
        return lang
    return "fr"


def _install_jobs_and_listeners(app: Flask) -> None:
    """The job runner JOB_RUNNER names (eage/jobs.py), and the receivers of what the app
    announces (eage/events.py). Imported here, like the blueprints: with the app, not with
    `import eage`."""
    from eage import jobs
    from eage.dashboard import events as dashboard_events

    jobs.init_app(app)
    dashboard_events.register(app)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=_instance_path(),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    _configure(app, test_config)
    _init_extensions(app)
    _register_areas(app)
    _install_jobs_and_listeners(app)
    _install_request_hooks(app)
    # The modules, the models' metadata, the templates' machinery… (≈ 200 000 objects) live as
    # long as the process: move them out of the cyclic garbage collector's reach, so a request
    # that builds tens of thousands of objects (a large group's allocation) does not pay for
    # rescanning them at every full collection — ~100 ms of the allocation API at a million
    # timesheet rows (bench/bench_allocation.py). Python's docs recommend it for long-lived
    # server processes (gc.freeze).
    gc.collect()
    gc.freeze()
    return app


def _configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Defaults, then instance/config.py (or the tests' settings), then the secret key."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL")
        or f"sqlite:///{instance / 'eage.sqlite'}",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        BABEL_DEFAULT_LOCALE="fr",
        BABEL_DEFAULT_TIMEZONE="Europe/Paris",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        BOOTSTRAP_SERVE_LOCAL=True,
        MAX_UPLOAD_MB=5,  # a request body (an import file, an API batch); 413 past it
        STORAGE_PATH=str(instance / "storage"),
        OUTBOX_PATH=str(instance / "outbox"),
        WTF_CSRF_TIME_LIMIT=None,
        # eage/jobs.py: "thread" (make run), "inline" (tests) or "rq" (production, eage worker)
        JOB_RUNNER=os.environ.get("JOB_RUNNER", "thread"),
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        RQ_QUEUE="eage",
        JOB_TIMEOUT=3600,  # seconds; the close of a large group takes minutes
        LOG_LEVEL="INFO",  # the close, issuing and posting log one line each (who, what, how long)
        # werkzeug's password hashing: scrypt, memory-hard, ~90 ms a hash on this machine. The
        # test suite sets a cheap method (a demo load hashes four passwords, a sign-in one).
        PASSWORD_HASH_METHOD="scrypt",
        # None = decided by eage/http_security.py: Secure unless debug, the tests or
        # EAGE_INSECURE_COOKIES=1 (plain-HTTP local use); ProxyFix when PROXY_FIX=1.
        SESSION_COOKIE_SECURE=None,
        REMEMBER_COOKIE_SECURE=None,
        PROXY_FIX=None,
        # Sign-in throttling (eage/auth/throttle.py): "redis://127.0.0.1:6379/0" in production,
        # so that every worker shares the counts; memory:// counts per process.
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_ENABLED=True,
        SESSION_IDLE_MINUTES=30,  # a session unused this long ends (checked server-side)
        SESSION_MAX_HOURS=12,  # and every session ends this long after its sign-in
        PASSWORD_RESET_MINUTES=30,  # how long a reset link e-mailed to a user works
        PUBLIC_URL=None,  # "https://eage.example.org": the address in e-mailed links
        LOG_FORMAT=os.environ.get("LOG_FORMAT", "keyvalue"),  # eage/logs.py: or "json"
        # Reminders of overdue invoices (eage/reminders): days late from which the 1st
        # (relance amiable), 2nd (deuxième relance) and 3rd (mise en demeure) level may go.
        REMINDER_LEVEL_DAYS=(1, 15, 30),
    )
    if test_config is None:
        # Any setting from the environment as EAGE_<NAME> (EAGE_RATELIMIT_STORAGE_URI=redis://…,
        # EAGE_SECRET_KEY=…; JSON values are parsed: EAGE_SESSION_MAX_HOURS=8), then
        # instance/config.py, which wins.
        app.config.from_prefixed_env("EAGE")
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default: no limit
        app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
    if test_config is None:  # the tests keep pytest's own log capture
        from eage import logs

        logs.install_handler(app)


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        _tune_sqlite(db.engine)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    limiter.init_app(app)


def _register_areas(app: Flask) -> None:
    """The ORM guards, the blueprints, the API and the CLI commands.

    Imported here, when an app is built, and not at the top of this package: every module of
    eage/ lives under this package, so a top-level import would make `import eage.models` (a
    domain test, a migration, a benchmark) load every view, form and template helper."""
    from eage import filters, immutability, params
    from eage.admin.routes import bp as admin_bp
    from eage.allocation.routes import bp as allocation_bp
    from eage.api import API_PREFIX
    from eage.api import bp as api_bp
    from eage.auth import routes as auth_routes
    from eage.auth.account import bp as account_bp
    from eage.bank.routes import bp as bank_bp
    from eage.books import chain
    from eage.books.routes import bp as books_bp
    from eage.budget.routes import bp as budget_bp
    from eage.catalog.routes import bp as catalog_bp
    from eage.closing.routes import bp as closing_bp
    from eage.commands import register_commands
    from eage.core import health
    from eage.core.routes import bp as core_bp
    from eage.dashboard.routes import bp as dashboard_bp
    from eage.expenses.routes import bp as expenses_bp
    from eage.invoicing.routes import bp as invoicing_bp
    from eage.members.routes import bp as members_bp
    from eage.payslips.routes import bp as payslips_bp
    from eage.portal.routes import bp as portal_bp
    from eage.rates.routes import bp as rates_bp
    from eage.regularisation.routes import bp as regularisation_bp
    from eage.reminders.routes import bp as reminders_bp
    from eage.sepa.routes import bp as sepa_bp
    from eage.staff.routes import bp as staff_bp
    from eage.timesheets.routes import bp as timesheets_bp

    params.install(app)  # before any rule is added
    filters.register(app)
    auth_routes.register_login(app)
    immutability.install()
    chain.install()  # the inalterability chain seals at commit
    for bp in (
        core_bp,
        auth_routes.bp,
        account_bp,
        members_bp,
        staff_bp,
        catalog_bp,
        budget_bp,
        timesheets_bp,
        rates_bp,
        expenses_bp,
        allocation_bp,
        dashboard_bp,
        regularisation_bp,
        admin_bp,
        invoicing_bp,
        closing_bp,
        payslips_bp,
        books_bp,
        sepa_bp,
        bank_bp,
        reminders_bp,
        portal_bp,
    ):
        app.register_blueprint(bp)
    health.register(app)
    app.register_blueprint(api_bp, url_prefix=API_PREFIX)
    csrf.exempt(api_bp)
    register_commands(app)


def _install_request_hooks(app: Flask) -> None:
    from eage import errors, http_security, logs

    logs.install_request_log(app)  # one line per request (outside the tests)

    @app.before_request
    def _remember_user() -> None:
        g.user = current_user

    http_security.init_app(app)  # cookie flags, CSP and the other headers, HSTS, no-store
    errors.register(app)  # the error pages (JSON under the API)
