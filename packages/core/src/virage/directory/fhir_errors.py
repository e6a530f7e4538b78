"""Errors under a FHIR base answered as ``OperationOutcome`` (FHIR R4), with French text.

Virage maps its errors to HTTP in one place (:mod:`virage.errors`); a FHIR base registers its
address prefix there, and every error under it — a domain error, a refused token, a bad
parameter, an unknown address, a refused method, a server error — takes this shape instead of
Virage's JSON error body. The rest of the API is unchanged.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from virage import errors

MEDIA_TYPE = "application/fhir+json"

#: HTTP status → OperationOutcome ``issue.code`` (value set IssueType, required binding).
_ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    409: "conflict",
    413: "too-costly",
    429: "throttled",
}


def operation_outcome(status: int, message: str, details: list[dict[str, Any]] | None = None):
    """An OperationOutcome: one issue with the message, one more per invalid field."""
    code = _ISSUE_CODES.get(status, "exception" if status >= 500 else "processing")
    severity = "fatal" if status >= 500 else "error"
    issues: list[dict[str, Any]] = [
        {"severity": severity, "code": code, "details": {"text": message}}
    ]
    for item in details or []:
        field, text = item.get("champ"), item.get("message")
        if not text:
            continue
        issue: dict[str, Any] = {"severity": "error", "code": code, "details": {"text": text}}
        if field:
            issue["expression"] = [str(field)]
        issues.append(issue)
    return {"resourceType": "OperationOutcome", "issue": issues}


def respond(request: Request, status: int, message: str, details: list) -> Response:
    return Response(
        content=operation_outcome(status, message, details),
        status_code=status,
        media_type=MEDIA_TYPE,
    )


def register(prefix: str) -> None:
    """Answer every error under ``prefix`` (a FHIR base, no trailing slash) as OperationOutcome."""
    errors.ERROR_FORMATS[prefix] = respond
