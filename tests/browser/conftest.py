"""Browser journeys: the real app served on a loopback port, driven by Playwright on the
system Chromium (no browser download)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

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


# --------------------------------------------------------------------- issue 14: what a
# reviewer looks at (screenshots), phones (horizontal overflow) and accessibility (axe-core).

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = ROOT / "instance" / "screenshots"  # kept by the CI as an artifact
AXE_JS = ROOT / ".tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"  # scripts/axe.sh
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 1000}


@pytest.fixture()
def screenshot(page):  # type: ignore[no-untyped-def]
    """screenshot("dashboard-fr-390") → instance/screenshots/dashboard-fr-390.png (the whole
    page); returns the path."""

    def _save(name: str, full_page: bool = True) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return _save


def horizontal_overflow(page) -> int:  # type: ignore[no-untyped-def]
    """How many pixels the page is wider than the window (0: nothing to scroll sideways)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.fixture()
def axe(page):  # type: ignore[no-untyped-def]
    """axe() → the "serious" and "critical" violations of the page as it is now, each as
    "rule-id (impact): help — selector, selector…" (an empty list when there is none).

    axe-core is injected by Playwright (`add_script_tag`), an inline script the app's CSP
    refuses: a test module that uses this fixture opens its pages with `bypass_csp` (see
    tests/browser/test_a11y.py); the CSP itself is checked by test_csp.py."""
    if not AXE_JS.exists():
        pytest.fail(f"axe-core missing at {AXE_JS}: run `sh scripts/axe.sh`")

    def _run() -> list[str]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
            }"""
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(v['targets'])}"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]

    return _run


# The live server is werkzeug's development server in a thread: when Chromium drops a
# connection while a static file streams (a favicon request cancelled by the next page),
# werkzeug's `connection_dropped` leaves that file for the garbage collector, which pytest
# (warnings as errors) then reports against whichever test runs. It is the test server's
# file, not the app's; gunicorn closes it. Every other warning stays an error.
DROPPED_STATIC_FILE = (
    "ignore:Exception ignored in. <_io.(FileIO|BufferedReader) name='[^']*/static/"
    ":pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.path.as_posix():
            item.add_marker(pytest.mark.filterwarnings(DROPPED_STATIC_FILE))
