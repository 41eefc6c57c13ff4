"""What every HTTP response of the app says about itself: cookie flags, the security headers
(a Content-Security-Policy of 'self' — the templates carry no inline script, no event
attribute and no style attribute), HSTS behind TLS and `Cache-Control: no-store`.

Installed by create_app (`init_app`); nothing happens at import time."""

from __future__ import annotations

import os

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",  # Bootstrap's CSS draws its icons (select arrow…) as data: SVG
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
# Static assets may be cached; everything else the app answers (pages, PDFs, exports, the API)
# is someone's pay, accounts or credentials: never stored by a browser or a proxy.
CACHEABLE_ENDPOINTS = frozenset({"static", "bootstrap.static"})


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def secure_cookies_by_default(app: Flask) -> bool:
    """Secure cookies unless the app runs for a developer (debug, the tests) or plain-HTTP
    local use is asked for with EAGE_INSECURE_COOKIES=1 (`make run` does)."""
    return not (app.debug or app.testing or _env_flag("EAGE_INSECURE_COOKIES"))


def configure_cookies(app: Flask) -> None:
    """SESSION_COOKIE_SECURE / REMEMBER_COOKIE_SECURE left at None (create_app's default)
    mean "decide": see secure_cookies_by_default. An explicit True/False in instance/config.py
    or the tests' settings wins."""
    secure = secure_cookies_by_default(app)
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config.get(key) is None:
            app.config[key] = secure
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    for key in ("SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE"):
        if app.config.get(key) is None:  # "Strict" in instance/config.py is kept
            app.config[key] = "Lax"


def install_proxy_fix(app: Flask) -> None:
    """Behind a TLS reverse proxy (PROXY_FIX=1): trust one proxy's X-Forwarded-For/-Proto/
    -Host, so request.is_secure tells the truth (HSTS) and url_for builds https links. Never
    without a proxy: a client could then claim to be on TLS or forge its address."""
    if app.config.get("PROXY_FIX") is None:
        app.config["PROXY_FIX"] = _env_flag("PROXY_FIX")
    if app.config["PROXY_FIX"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=1, x_proto=1, x_host=1
        )


def secure_response(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    configure_cookies(app)
    install_proxy_fix(app)
    app.after_request(secure_response)
