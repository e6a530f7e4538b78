"""Domain errors, and the one place where they become HTTP responses.

Domain code raises these exceptions with a message a person can act on (in French, because it is
shown to users). ``exception_handlers()`` maps them, and Litestar's own errors, to JSON for the API
and to an HTML page for the web interface, never with a traceback.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from virage.french import plural

log = logging.getLogger("virage")


class VirageError(Exception):
    """Base class of errors that carry a message for a person."""

    status_code = 400

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class ConfigurationError(VirageError):
    """A setting (environment variable, file) cannot work."""


class InvalidInput(VirageError):
    """The data sent cannot be accepted as it is."""

    status_code = 400


class NotFound(VirageError):
    status_code = 404


class Forbidden(VirageError):
    status_code = 403


class NotAuthenticated(VirageError):
    status_code = 401
    #: Code of the sentence the log-in page shows after the redirect (``/connexion?motif=…``).
    login_reason = "connexion-requise"


class Conflict(VirageError):
    status_code = 409


class PayloadTooLarge(VirageError):
    """A file (or a body) larger than what the server accepts."""

    status_code = 413


class UnsupportedMediaType(VirageError):
    """A file whose content (not its name) is of a type the server does not accept."""

    status_code = 415


class TooManyRequests(VirageError):
    status_code = 429


class ServiceUnavailable(VirageError):
    """The database (or another service Virage needs) does not answer: try again later."""

    status_code = 503


_TITLES = {
    400: "Données invalides",
    401: "Connexion nécessaire",
    403: "Accès refusé",
    404: "Introuvable",
    405: "Méthode non autorisée",
    409: "Conflit",
    413: "Envoi trop volumineux",
    415: "Type de fichier refusé",
    429: "Trop de tentatives",
    500: "Erreur interne",
    503: "Service indisponible",
}


def _wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path.startswith("/schema"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


#: Address prefixes whose errors are answered in another format (a FHIR base answers
#: ``OperationOutcome``): prefix → responder(request, status, message, details) → Response.
#: A domain registers its prefix once, when its routes are imported.
ERROR_FORMATS: dict[str, Any] = {}


def _respond(request: Request, status: int, message: str, details: list | None = None) -> Response:
    for prefix, responder in ERROR_FORMATS.items():
        if request.url.path == prefix or request.url.path.startswith(prefix + "/"):
            return responder(request, status, message, details or [])
    title = _TITLES.get(status, "Erreur")
    if _wants_json(request):
        body: dict[str, Any] = {"status_code": status, "title": title, "detail": message}
        if details:
            body["errors"] = details
        return Response(content=body, status_code=status, media_type=MediaType.JSON)
    return Template(
        template_name="error.html",
        context={"status": status, "title": title, "message": message, "details": details or []},
        status_code=status,
        media_type=MediaType.HTML,
    )


_FRENCH_MESSAGES = [
    (re.compile(r"^Field required$"), "champ obligatoire"),
    (
        re.compile(r"^String should have at least (\d+) characters?$"),
        lambda n: f"au moins {plural(int(n), 'caractère')}",
    ),
    (
        re.compile(r"^String should have at most (\d+) characters?$"),
        lambda n: f"au plus {plural(int(n), 'caractère')}",
    ),
    (
        re.compile(r"^List should have at most (\d+) items?.*$"),
        lambda n: f"au plus {plural(int(n), 'élément')}",
    ),
    (re.compile(r"^Input should be a valid date.*$"), "date attendue, au format AAAA-MM-JJ"),
    (
        re.compile(r"^Input should be a valid datetime.*$"),
        "date et heure attendues (AAAA-MM-JJTHH:MM)",
    ),
    (re.compile(r"^Input should be a valid integer.*$"), "nombre entier attendu"),
    (re.compile(r"^Input should be a valid number.*$"), "nombre attendu"),
    (re.compile(r"^Input should be a valid boolean.*$"), "oui/non attendu (true ou false)"),
    (
        re.compile(r"^Input should be a valid (string|list|dictionary).*$"),
        "format de valeur incorrect",
    ),
    (re.compile(r"^Input should be (.+)$"), "valeur attendue : {0}"),
    (re.compile(r"^Value error, (.+)$"), "{0}"),
    (
        re.compile(r"^Invalid multipart/form-data$"),
        "Formulaire illisible : envoyez un formulaire multipart/form-data (le fichier dans le "
        "champ « file »).",
    ),
    (re.compile(r"^Input should be greater than or equal to (.+)$"), "au moins {0}"),
    (re.compile(r"^Input should be less than or equal to (.+)$"), "au plus {0}"),
]


def french_message(message: str) -> str:
    """Translate the usual pydantic/Litestar validation messages into French."""
    message = (message or "").strip()
    for pattern, template in _FRENCH_MESSAGES:
        match = pattern.match(message)
        if match:
            if callable(template):
                return template(*match.groups())
            return template.format(*match.groups()).replace("' or '", "' ou '")
    return message


def pydantic_details(exc: Any) -> list[dict[str, Any]]:
    """The ``details`` of an :class:`InvalidInput` from a pydantic ``ValidationError``: for each
    error, the field (dotted path, « formulaire » for the whole) and its message in French."""
    return [
        {
            "champ": ".".join(str(p) for p in e["loc"]) or "formulaire",
            "message": french_message(e["msg"]),
        }
        for e in exc.errors()
    ]


def _validation_details(exc: ValidationException) -> list[dict[str, Any]]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    out = []
    for item in extra:
        if isinstance(item, dict):
            out.append({"champ": item.get("key"), "message": french_message(item.get("message"))})
    return out


def handle_virage_error(request: Request, exc: VirageError) -> Response:
    if isinstance(exc, NotAuthenticated) and not _wants_json(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(f"/connexion?suivant={quote(target)}&motif={exc.login_reason}")
    response = _respond(request, exc.status_code, exc.message, exc.details)
    if isinstance(exc, NotAuthenticated):
        response.headers["WWW-Authenticate"] = 'Bearer realm="virage"'
    return response


def handle_validation_error(request: Request, exc: ValidationException) -> Response:
    details = _validation_details(exc)
    fields = ", ".join(str(d["champ"]) for d in details if d.get("champ"))
    message = "Certaines données envoyées ne sont pas valides"
    message += f" ({fields})." if fields else "."
    return _respond(request, 400, message + " Corrigez-les puis réessayez.", details)


def handle_not_found(request: Request, exc: NotFoundException) -> Response:
    return _respond(request, 404, "Cette page ou cette ressource n'existe pas (ou plus).")


def handle_http_error(request: Request, exc: HTTPException) -> Response:
    response = _http_error_response(request, exc)
    # Headers the framework set for a reason (Allow on a 405, Retry-After on a 429) stay.
    for name, value in (exc.headers or {}).items():
        response.headers.setdefault(name, value)
    return response


#: What Litestar says when the client disconnects before its body is read.
CLIENT_GONE = "client disconnected prematurely"


def _http_error_response(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if status == 500 and exc.detail == CLIENT_GONE:
        # The client hung up while sending its body (a phone losing the network, a load tool
        # stopping): the handler never ran, nothing was written, and nobody reads this answer.
        # Not a server error: no alarm in the logs.
        log.info("Client disconnected while sending %s %s", request.method, request.url.path)
        return _respond(request, 400, "L'envoi a été interrompu avant la fin : recommencez.")
    if status >= 500:
        log.error("HTTP %s on %s: %s", status, request.url.path, exc.detail)
        return _respond(request, status, "Le service a rencontré un problème. Réessayez plus tard.")
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if status == 403 and "CSRF" in detail:
        return _respond(
            request,
            403,
            "Ce formulaire n'a pas pu être vérifié (jeton de sécurité absent ou périmé). "
            "Rechargez la page puis recommencez.",
        )
    french = {
        401: "Connectez-vous pour accéder à cette page.",
        403: "Vous n'avez pas les droits nécessaires pour cette action.",
        405: "Cette action n'est pas possible à cette adresse.",
        413: "L'envoi est trop volumineux.",
        429: "Trop de requêtes : patientez un instant puis réessayez.",
    }
    return _respond(
        request, status, french.get(status, french_message(detail) or _TITLES.get(status, "Erreur"))
    )


def handle_overflow(request: Request, exc: OverflowError) -> Response:
    """A date or a number at the edge of what Python or SQLite can hold: the input is at fault.

    Domains check their bounds at the boundary (``virage.limits``); this catches what slipped
    through (date arithmetic near years 1 or 9999) instead of answering a server error.
    """
    log.warning("Value out of range on %s %s: %s", request.method, request.url.path, exc)
    return _respond(
        request,
        400,
        "Une date ou un nombre envoyé est hors des limites admises (années de 1900 à 2200, "
        "nombres entiers d'au plus 19 chiffres) : corrigez la valeur puis réessayez.",
    )


def handle_bad_encoding(request: Request, exc: UnicodeDecodeError) -> Response:
    """A form field or a text that is not UTF-8 (a file's bytes sent as a plain field…)."""
    log.info("Undecodable text on %s %s: %s", request.method, request.url.path, exc.reason)
    return _respond(
        request,
        400,
        "Un champ envoyé n'est pas du texte lisible (UTF-8) : un fichier doit être joint comme "
        "fichier, pas comme texte. Corrigez l'envoi puis réessayez.",
    )


def handle_integrity(request: Request, exc: Exception) -> Response:
    """A constraint of the database refused a write that the boundary let through.

    Domains check their input before writing; this is the safety net for what slipped through (a
    value missing for a required column, a duplicate, a reference to nothing). The transaction was
    rolled back, so nothing is half-written: the person gets a 409 she can act on, and the server
    log keeps the whole error so that the missing check gets fixed.
    """
    log.error(
        "Database constraint refused a write on %s %s",
        request.method,
        request.url.path,
        exc_info=exc,
    )
    return _respond(
        request,
        409,
        "Ces données n'ont pas pu être enregistrées : une valeur obligatoire manque ou elles "
        "contredisent des données déjà enregistrées. Rien n'a été modifié ; vérifiez la saisie "
        "puis réessayez.",
    )


def _integrity_errors() -> tuple[type[Exception], ...]:
    errors: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)
    try:
        import psycopg
    except ImportError:  # the embedded engine only
        return errors
    return (*errors, psycopg.IntegrityError)


def handle_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("Unexpected error on %s %s", request.method, request.url.path)
    return _respond(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        "Le service a rencontré un problème inattendu. Réessayez ; si cela persiste, "
        "prévenez votre administrateur.",
    )


def exception_handlers() -> dict:
    """The mapping from exception types to responses, given to Litestar once."""
    return {
        VirageError: handle_virage_error,
        ValidationException: handle_validation_error,
        NotFoundException: handle_not_found,
        HTTPException: handle_http_error,
        OverflowError: handle_overflow,
        UnicodeDecodeError: handle_bad_encoding,
        **dict.fromkeys(_integrity_errors(), handle_integrity),
        Exception: handle_unexpected,
    }
