"""Answers to bad requests that never reach a view: a body over MAX_UPLOAD_MB (413) is told
in French on a page, in JSON under the API — never a bare error page or a 500."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge


def _too_large(exc: RequestEntityTooLarge) -> ResponseReturnValue:
    from flask import current_app

    from eage.api import API_PREFIX

    limit = current_app.config["MAX_UPLOAD_MB"]
    if request.path.startswith(API_PREFIX):
        return jsonify({"error": f"request body larger than {limit} MB"}), 413
    message = _("Fichier trop volumineux : %(limit)s Mo au plus.", limit=limit)
    return render_template("errors/too_large.html", message=message), 413


def register(app: Flask) -> None:
    app.register_error_handler(RequestEntityTooLarge, _too_large)
