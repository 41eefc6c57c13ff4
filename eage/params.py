"""Request parameters that come from the address bar: ids in paths and years in query
strings. An out-of-range value is a 404 with a French message, never a 500: a database
integer cannot hold 99999999999999999999 (SQLite raises OverflowError, PostgreSQL
"integer out of range"), and a year like 99999 breaks ``date()``. And JSON bodies: parsed
strictly (no NaN or Infinity, no float that overflows to infinity, no nesting deep enough to
exhaust the parser), a refusal being a 400 like any malformed body."""

from __future__ import annotations

import json
import math
from typing import Any, NoReturn

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

ID_MAX = 2**31 - 1  # the largest INTEGER of PostgreSQL; the ids in paths are never larger
YEARS = range(2000, 2101)  # the years the application books (the pages' existing rule)


class IdConverter(IntegerConverter):
    """``<int:…>`` bounded to what an INTEGER column holds: a larger number does not match
    the route (404), negative numbers never did."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ID_MAX)
        super().__init__(url_map, *args, **kwargs)


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text[:20]}")
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading only what RFC 8259 allows and failing as a ValueError (which
    ``request.get_json`` turns into a 400) instead of a RecursionError (a 500)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_constant", _no_constant)
        kwargs.setdefault("parse_float", _finite_float)
        try:
            return json.loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc


def install(app: Flask) -> None:
    """Before the blueprints add their rules (a rule binds its converter when added)."""
    app.url_map.converters["int"] = IdConverter
    app.json = StrictJSONProvider(app)


def _refuse(message: str) -> NoReturn:
    abort(404, description=message)


def valid_year(year: int) -> int:
    """``year`` if the application books it, else a 404."""
    if year not in YEARS:
        _refuse(f"année hors limites : {year} (de {YEARS.start} à {YEARS.stop - 1})")
    return year


def query_year(default: int, name: str = "annee") -> int:
    """``?annee=2026``: ``default`` when absent or empty; a 404 when not a year we book."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdecimal() or len(raw) > 4:
        _refuse(f"année illisible : {raw[:20]}")
    return valid_year(int(raw))


def query_page(name: str = "page", last: int = 100_000) -> int:
    """``?page=3``: 1 when absent or malformed; past ``last`` a 404 (the offset would not fit
    in a query)."""
    raw = (request.args.get(name) or "").strip()
    page = int(raw) if raw.isdecimal() and len(raw) <= 9 else 1
    if page > last:
        _refuse(f"page hors limites : {page}")
    return max(page, 1)


def query_id(name: str) -> int | None:
    """``?utilisateur=3``: None when absent or not a number; a 404 past what an id can be."""
    raw = (request.args.get(name) or "").strip()
    if not raw.isdecimal():
        return None
    if len(raw) > 10 or int(raw) > ID_MAX:
        _refuse(f"identifiant hors limites : {raw[:20]}")
    return int(raw)
