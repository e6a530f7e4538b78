"""Shared FHIR R4 helpers of the FHIR interfaces (directory, agenda): the media type, the
national identifier systems of FR Core, and errors as ``OperationOutcome`` with French text.

Identifier systems: FR Core 2.0.1 (``Interop-Sante/hl7.fhir.fr.core``, input/fsh/aliases.fsh and
the Practitioner / Organization profiles): RPPS ``https://rpps.esante.gouv.fr``, FINESS
``https://finess.esante.gouv.fr``.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException

from virage.errors import VirageError

log = logging.getLogger("virage.fhir")

MEDIA_TYPE = "application/fhir+json"
FHIR_VERSION = "4.0.1"
RPPS_SYSTEM = "https://rpps.esante.gouv.fr"
FINESS_SYSTEM = "https://finess.esante.gouv.fr"

#: HTTP status → OperationOutcome.issue.code (R4 value set ``issue-type``).
_ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    409: "conflict",
    412: "conflict",
    422: "processing",
    429: "throttled",
}


def operation_outcome(status: int, message: str, details: list[dict] | None = None) -> dict:
    """An ``OperationOutcome`` carrying ``message`` (French, for a person) and each detail."""
    severity = "fatal" if status >= 500 else "error"
    code = _ISSUE_CODES.get(status, "exception")
    issues: list[dict[str, Any]] = [
        {"severity": severity, "code": code, "details": {"text": message}, "diagnostics": message}
    ]
    for detail in details or []:
        text = detail.get("message") or detail.get("msg") or str(detail)
        issues.append({"severity": "information", "code": code, "details": {"text": str(text)}})
    return {"resourceType": "OperationOutcome", "issue": issues}


def outcome_response(status: int, message: str, details: list[dict] | None = None) -> Response:
    return Response(
        content=operation_outcome(status, message, details),
        status_code=status,
        media_type=MEDIA_TYPE,
    )


def handle_virage_error(request: Request, exc: VirageError) -> Response:
    return outcome_response(exc.status_code, exc.message, exc.details)


def handle_validation_error(request: Request, exc: ValidationException) -> Response:
    return outcome_response(
        400, "Requête invalide : vérifiez les paramètres et le contenu envoyés."
    )


def handle_http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if status >= 500:
        return outcome_response(status, "Le service a rencontré un problème. Réessayez plus tard.")
    if isinstance(exc, NotFoundException) or status == 404:
        return outcome_response(404, "Cette ressource n'existe pas.")
    if status == 405:
        return outcome_response(
            405, "Cette opération n'est pas prise en charge sur cette ressource."
        )
    french = {
        401: "Authentification requise : présentez un jeton d'accès (Authorization: Bearer …).",
        403: "Accès refusé.",
        413: "Contenu trop volumineux.",
        415: "Format non pris en charge : envoyez du JSON (application/fhir+json).",
        429: "Trop de requêtes : réessayez dans un moment.",
    }
    return outcome_response(status, french.get(status, "Requête refusée."))


def handle_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("Unexpected error on %s %s", request.method, request.url.path)
    return outcome_response(
        500, "Le service a rencontré un problème inattendu. Réessayez plus tard."
    )


#: For a controller or router: ``exception_handlers = fhir_common.EXCEPTION_HANDLERS``.
EXCEPTION_HANDLERS = {
    VirageError: handle_virage_error,
    ValidationException: handle_validation_error,
    HTTPException: handle_http_error,
    Exception: handle_unexpected,
}
