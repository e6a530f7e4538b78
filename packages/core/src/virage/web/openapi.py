"""The OpenAPI document, completed with the error answers every operation can give.

Litestar documents each operation's success answer and the validation error; the others come from
the one place that maps errors to HTTP (``virage.errors``) and from the middleware (log-in,
throttling, the audit's group commit), so they are added here to every operation, with the shape
of Virage's error body. Clients generated from the document then know them all.
"""

from __future__ import annotations

import copy
from typing import Any

from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin

ERROR_SCHEMA = {
    "type": "object",
    "required": ["status_code", "title", "detail"],
    "properties": {
        "status_code": {"type": "integer"},
        "title": {"type": "string", "description": "Nature de l'erreur, en français"},
        "detail": {"type": "string", "description": "Ce qui ne va pas et comment y remédier"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "champ": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
            },
        },
    },
}

COMMON = {
    "400": "Données invalides (le message dit lesquelles et comment les corriger)",
    "401": "Jeton d'API absent, invalide ou révoqué",
    "403": "Droits insuffisants pour cette action",
    "404": "Ressource introuvable, ou d'une structure à laquelle le jeton n'a pas accès",
    "405": "Méthode non prise en charge à cette adresse (en-tête Allow)",
    "429": "Trop de requêtes : réessayer après le délai de l'en-tête Retry-After",
    "503": "L'accès n'a pas pu être enregistré au journal : rien n'est envoyé, réessayer",
}
WRITES = {
    "409": "Conflit avec l'état actuel (déjà fait, modifié entre-temps, délai dépassé)",
    "413": "Envoi trop volumineux",
    "415": "Type de fichier refusé (reconnu par son contenu, jamais par son nom)",
}
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def with_error_answers(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` where every operation documents Virage's error answers."""
    schema = copy.deepcopy(schema)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Erreur"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Erreur"}}}
    for path_item in schema.get("paths", {}).values():
        for method in METHODS:
            operation = path_item.get(method)
            if not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            codes = dict(COMMON)
            if method != "get":
                codes |= WRITES
            for code, description in codes.items():
                responses.setdefault(code, {"description": description, "content": ref})
    return schema


class DocumentedErrorsJsonPlugin(JsonRenderPlugin):
    """``/schema/openapi.json`` with the error answers of :func:`with_error_answers`."""

    _rendered: bytes | None = None

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        if self._rendered is None:
            self._rendered = self.render_json(request, with_error_answers(openapi_schema))
        return self._rendered
