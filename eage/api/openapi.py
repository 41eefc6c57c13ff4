"""The OpenAPI 3.1 document at /api/v1/openapi.json (public: it describes, it shows no data)."""

from __future__ import annotations

import copy
from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue

from eage.api.allocation import ALLOCATION_SCHEMA
from eage.api.allocation import OPENAPI_PATH as ALLOCATION_PATH
from eage.api.blueprint import MONTH_PATTERN, bp
from eage.api.payslips import OPENAPI_PATH as PAYSLIPS_PATH
from eage.api.payslips import PAYSLIP_SCHEMA
from eage.api.summary import OPENAPI_PATH as SUMMARY_PATH
from eage.api.summary import SUMMARY_SCHEMA
from eage.auth.roles import public

AMOUNT = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["1234.50"]}
MONTH = {
    "name": "month",
    "in": "query",
    "required": True,
    "schema": {"type": "string", "pattern": MONTH_PATTERN},
    "example": "2026-11",
}


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": required or list(props)}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


STR = {"type": "string"}
NSTR = _nullable(STR)

SCHEMAS: dict[str, Any] = {
    "Error": _obj({"error": STR}),
    "Member": _obj(
        {
            "code": STR,
            "name": STR,
            "legal_form": STR,
            "siren": NSTR,
            "siret": NSTR,
            "vat_number": NSTR,
            "vat_regime": {"type": "string", "enum": ["exempt_261B", "vat_20"]},
            "email": NSTR,
            "address": STR,
        }
    ),
    "Employee": _obj(
        {
            "code": STR,
            "name": STR,
            "job": STR,
            "weekly_hours": _nullable(AMOUNT),
            "fte": _nullable(AMOUNT),
            "monthly_gross": _nullable(AMOUNT),
        }
    ),
    "Service": _obj({"code": STR, "label": STR, "year": {"type": "integer"}, "rate": AMOUNT}),
    "Timesheet": _obj(
        {
            "id": {"type": "integer"},
            "date": {"type": "string", "format": "date"},
            "employee": STR,
            "member": {"type": "string", "description": "member code or INTERNE"},
            "service": {
                "type": "string",
                "description": "service code, or absence code for INTERNE",
            },
            "minutes": {"type": "integer", "minimum": 1},
            "hours": AMOUNT,
            "note": NSTR,
        }
    ),
    "TimesheetInput": _obj(
        {
            "date": {"type": "string", "description": "YYYY-MM-DD or DD/MM/YYYY"},
            "employee": STR,
            "member": STR,
            "service": STR,
            "hours": {"type": "string", "description": "7.5, 7,5 or 7:30"},
            "note": NSTR,
            "exception": {"type": "boolean", "description": "authorised day over 10 h (max 12 h)"},
        },
        required=["date", "employee", "member", "service", "hours"],
    ),
}


INVOICE_SCHEMA = _obj(
    {
        "number": STR,
        "kind": {"type": "string", "enum": ["invoice", "credit_note"]},
        "member": STR,
        "issue_date": {"type": "string", "format": "date"},
        "period": {
            "type": "string",
            "description": "service period as an ISO 8601 interval, 2026-10-01/2026-10-31",
        },
        "total_excl_tax": AMOUNT,
        "vat": AMOUNT,
        "total_incl_tax": AMOUNT,
        "status": {
            "type": "string",
            "enum": ["issued", "sent", "partially_paid", "paid", "overdue"],
        },
        "lines": {
            "type": "array",
            "items": _obj(
                {
                    "kind": {
                        "type": "string",
                        "enum": ["service", "regularisation", "fee", "penalty", "indemnity"],
                    },
                    "service": NSTR,
                    "hours": _nullable(AMOUNT),
                    "rate": _nullable(AMOUNT),
                    "amount": AMOUNT,
                }
            ),
        },
    }
)


def _list_of(name: str) -> dict[str, Any]:
    return {
        "200": {
            "description": "OK",
            "content": {
                "application/json": {
                    "schema": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}}
                }
            },
        },
        "401": {"$ref": "#/components/responses/Error"},
    }


INVOICES_PATHS: dict[str, Any] = {
    "/invoices": {
        "get": {
            "summary": "Invoices and credit notes of a month (by service period) or a year",
            "parameters": [
                {
                    "name": "month",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string"},
                },
                {
                    "name": "year",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer"},
                },
            ],
            "responses": _list_of("Invoice"),
        }
    },
    "/invoices/{number}": {
        "get": {
            "summary": "One invoice or credit note; append .pdf (Factur-X), .docx or .xml "
            "for its documents",
            "parameters": [
                {
                    "name": "number",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": {
                    "description": "The invoice (JSON) or the document",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Invoice"}},
                        "application/pdf": {},
                        "application/xml": {},
                    },
                },
                "404": {"$ref": "#/components/responses/Error"},
            },
        }
    },
}

SERVICES_PATHS: dict[str, Any] = {
    "/services": {
        "get": {
            "summary": "Services and hourly rates",
            "parameters": [
                {
                    "name": "year",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer"},
                }
            ],
            "responses": _list_of("Service"),
        }
    },
}


def _errors_response(description: str) -> dict[str, Any]:
    """A refusal listing every error of a posted batch: {error, errors: [{index, message}]}."""
    item = _obj({"index": {"type": "integer"}, "message": STR})
    schema = _obj({"error": STR, "errors": {"type": "array", "items": item}})
    return {"description": description, "content": {"application/json": {"schema": schema}}}


TIMESHEETS_PATHS: dict[str, Any] = {
    "/timesheets": {
        "get": {
            "summary": "Timesheet entries of a month",
            "parameters": [MONTH],
            "responses": _list_of("Timesheet"),
        },
        "post": {
            "summary": "Add timesheet entries, all or nothing (accountant tokens)",
            "description": (
                "Entries identical to recorded ones (same date, employee, member, service,"
                " hours) are refused with 409 unless allow_duplicates=1: sending the same"
                " batch twice would bill its hours twice."
            ),
            "parameters": [
                {
                    "name": "allow_duplicates",
                    "in": "query",
                    "required": False,
                    "description": "1 to import entries identical to recorded ones anyway",
                    "schema": {"type": "string", "enum": ["0", "1"]},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/TimesheetInput"},
                        }
                    }
                },
            },
            "responses": {
                "201": {
                    "description": "Imported",
                    "content": {
                        "application/json": {"schema": _obj({"imported": {"type": "integer"}})}
                    },
                },
                "400": {"$ref": "#/components/responses/Error"},
                "409": _errors_response("Entries identical to recorded ones, nothing written"),
                "422": _errors_response("Every error, nothing written"),
            },
        },
    },
}


# What any operation may answer besides its own responses, every one a JSON {"error": …}:
# a parameter or body it cannot read (400), no or a bad token (401), a role that may not use
# it (403), nothing under that name (404); for a body, one over MAX_UPLOAD_MB (413).
COMMON_ERRORS = ("400", "401", "403", "404")
BODY_ERRORS = ("413",)


def _with_errors(paths: dict[str, Any]) -> dict[str, Any]:
    """Every operation with the common error responses it does not describe itself."""
    error = {"$ref": "#/components/responses/Error"}
    paths = copy.deepcopy(paths)  # the modules' path tables stay as written
    for operations in paths.values():
        for operation in operations.values():
            codes = COMMON_ERRORS + (BODY_ERRORS if "requestBody" in operation else ())
            for code in codes:
                operation["responses"].setdefault(code, error)
    return paths


def document() -> dict[str, Any]:
    schemas = {
        **SCHEMAS,
        "Payslip": PAYSLIP_SCHEMA,
        "Invoice": INVOICE_SCHEMA,
        "Allocation": ALLOCATION_SCHEMA,
        "MemberSummary": SUMMARY_SCHEMA,
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "eage API",
            "version": "1",
            "description": "Back-office of an employer group. Amounts and hours are strings with "
            "two decimals; member, employee and service fields hold codes. A "
            "member's token sees only its own member.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
            "responses": {
                "Error": {
                    "description": "Error",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            },
        },
        "paths": _with_errors(
            {
                "/members": {"get": {"summary": "Members", "responses": _list_of("Member")}},
                "/payslips": PAYSLIPS_PATH,
                "/allocation": ALLOCATION_PATH,
                **INVOICES_PATHS,
                "/employees": {
                    "get": {
                        "summary": "Shared staff (back-office tokens)",
                        "responses": _list_of("Employee"),
                    }
                },
                **SERVICES_PATHS,
                **TIMESHEETS_PATHS,
                "/members/{code}/summary": SUMMARY_PATH,
            }
        ),
    }


@bp.get("/openapi.json")
@public
def openapi() -> ResponseReturnValue:
    return jsonify(document())
