"""The error pages: 400, 403, 404, 405, 413, 429 and 500 answer the app's own page (in the
user's language, with the navigation) — JSON under the API, as the API's own errors do
(routing errors, 404/405, never reach the API blueprint's handlers).

The response keeps the headers the exception carries (Allow on a 405, Retry-After on a 429)."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from eage.api.blueprint import API_PREFIX
from eage.extensions import db

MESSAGES = {
    400: (
        _l("Requête invalide"),
        _l(
            "La demande n'a pas pu être comprise (formulaire expiré ou incomplet). Rechargez la "
            "page et recommencez."
        ),
    ),
    403: (_l("Accès refusé"), _l("Votre compte n'a pas accès à cette page.")),
    404: (_l("Page introuvable"), _l("Cette page n'existe pas ou plus.")),
    405: (
        _l("Méthode non autorisée"),
        _l("Cette adresse ne s'utilise pas ainsi : revenez à la page précédente."),
    ),
    413: (
        _l("Fichier trop volumineux"),
        _l("Le fichier ou le formulaire envoyé dépasse la taille autorisée."),
    ),
    429: (
        _l("Trop de tentatives"),
        _l("Trop de demandes en peu de temps : patientez quelques minutes avant de réessayer."),
    ),
    500: (
        _l("Erreur interne"),
        _l("Une erreur inattendue est survenue ; rien n'a été enregistré. Réessayez plus tard."),
    ),
}


def _upload_limit_description(exc: HTTPException) -> str | None:
    """A body over MAX_UPLOAD_MB says the limit, in French on a page, in English in the API."""
    if exc.code != 413:
        return None
    limit = current_app.config.get("MAX_UPLOAD_MB")
    if request.path.startswith(API_PREFIX):
        return f"request body larger than {limit} MB"
    return str(_l("Fichier trop volumineux : %(limit)s Mo au plus.", limit=limit))


def error_page(exc: HTTPException) -> Response:
    code = exc.code or 500
    response = exc.get_response()  # keeps Allow, Retry-After…
    limit = _upload_limit_description(exc)
    if request.path.startswith(API_PREFIX):
        body = jsonify({"error": limit or exc.description or exc.name})
    else:
        if code >= 500:
            db.session.rollback()  # the page's own queries must not meet a failed transaction
        title, message = MESSAGES.get(code, (exc.name, exc.description or ""))
        # A view's own reason (abort(400, "…")) is shown too; werkzeug's English stock text is not.
        detail = exc.description if exc.description != type(exc).description else None
        detail = limit or detail
        html = render_template(
            "errors/error.html", code=code, title=title, message=message, detail=detail
        )
        body = Response(html, mimetype="text/html")
    body.status_code = code
    for name, value in response.headers.items():
        if name.lower() not in ("content-type", "content-length"):
            body.headers[name] = value
    return body


def register(app: Flask) -> None:
    for code in MESSAGES:
        if code == 500:
            app.register_error_handler(InternalServerError, error_page)
        else:
            app.register_error_handler(code, error_page)
