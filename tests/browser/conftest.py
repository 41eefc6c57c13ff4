"""Browser journeys: the real app served on a loopback port, driven by Playwright on the
system Chromium (no browser download)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture()
def live_server(app, demo) -> Iterator[str]:  # type: ignore[no-untyped-def]
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture()
def logged_in(page, live_server):  # type: ignore[no-untyped-def]
    """log in through the real login form; returns a function role → page."""
    from tests.conftest import ROLE_EMAILS

    passwords = {
        "accountant": "compta-demo-2026",
        "manager": "bureau-demo-2026",
        "member": "lefil-demo-2026",
        "admin": "admin-demo-2026",
    }

    def _login(role: str):  # type: ignore[no-untyped-def]
        page.goto(live_server + "/connexion")
        page.get_by_label("Adresse e-mail").fill(ROLE_EMAILS[role])
        page.get_by_label("Mot de passe").fill(passwords[role])
        page.get_by_role("button", name="Se connecter").click()
        return page

    return _login


@pytest.fixture()
def csp_violations(page):  # type: ignore[no-untyped-def]
    """What Chromium refused because of the Content-Security-Policy (it says so on the
    console: "Refused to execute inline script… violates the following Content Security
    Policy directive…"), collected across the page's navigations."""
    refused: list[str] = []
    page.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return refused
