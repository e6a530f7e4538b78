"""The transmission form of the web pages: what it posts, its values, its context.

Shared by the writing pages (:mod:`virage.transmissions.web_writing`); the values come from the
service, never from the storage.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from litestar.response import Template
from pydantic import BaseModel, ConfigDict, Field

from virage.errors import Conflict, Forbidden, InvalidInput
from virage.transmissions import service, timefmt, visits
from virage.transmissions.models import DarParts
from virage.transmissions.settings_section import filter_for_structure
from virage.transmissions.targets import CATEGORIES, PRIORITIES


class TransmissionForm(BaseModel):
    """The transmission form (flat strings: the service validates and answers in French)."""

    target: str = ""
    category: str = ""
    priority: str = "normal"
    occurred_at: str = ""
    data: str = ""
    actions: str = ""
    results: str = ""
    appointment_id: str = ""
    client_id: str = ""


class PageSubmission(DarParts):
    """What the page's script sends to ``POST /transmissions/envoyer``."""

    model_config = ConfigDict(str_strip_whitespace=True)

    person_id: int
    client_id: str = Field(
        pattern=r"^[A-Za-z0-9_-]{8,64}$", description="Identifiant d'envoi choisi par la page"
    )
    corrects: int | None = Field(default=None, description="Transmission corrigée")
    author_id: int | None = Field(
        default=None, description="Compte qui a écrit l'entrée sur l'appareil (vérifié)"
    )


def _int_or_none(value: str | None, field: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(f"Valeur incorrecte pour {field} : nombre attendu.")
    return int(value)


def _values_of(transmission: dict) -> dict:
    """The form values of an existing transmission (to edit or correct it)."""
    return _form_values(
        None,
        target=transmission["target"],
        category=transmission["category"],
        priority=transmission["priority"],
        occurred_at=timefmt.input_value(transmission["occurred_at"]),
        data=transmission["data"],
        actions=transmission["actions"],
        results=transmission["results"],
    )


def _form_values(form: TransmissionForm | None, **defaults: Any) -> dict[str, Any]:
    values = {
        "target": "",
        "category": "",
        "priority": "normal",
        "occurred_at": timefmt.input_value(timefmt.to_iso(service._now())),
        "data": "",
        "actions": "",
        "results": "",
        "appointment_id": "",
        "client_id": uuid.uuid4().hex,
    }
    values.update({k: v for k, v in defaults.items() if v is not None})
    if form is not None:
        values.update(form.model_dump())
        if not values["client_id"]:
            values["client_id"] = uuid.uuid4().hex
    return values


def _form_context(access, person: dict, values: dict, **extra: Any) -> dict[str, Any]:
    db = access.db
    nomenclature = filter_for_structure(db, person["structure_id"], service.nomenclature(db))
    templates_by_target: dict[str, list[dict]] = {}
    for t in nomenclature["templates"]:
        templates_by_target.setdefault(t["target"], []).append(t)
    actor = access.actor
    return {
        "person": person,
        "values": values,
        "targets": nomenclature["targets"],
        "templates": templates_by_target,
        "categories": CATEGORIES,
        "priorities": PRIORITIES,
        "visits": visits.visits_of_day(db, actor.user_id, person["id"], access.plugins),
        "nomenclature_json": json.dumps(
            {
                "targets": {t["code"]: t["category"] for t in nomenclature["targets"]},
                "templates": {
                    str(t["id"]): {k: t[k] for k in ("data", "actions", "results")}
                    for t in nomenclature["templates"]
                },
            },
            ensure_ascii=False,
        ).replace("<", "\\u003c"),
        "user_id": actor.user_id,
        **extra,
    }


def _template_defaults(db, modele: int | None, target: str | None) -> dict[str, Any]:
    if not modele:
        return {"target": target}
    tpl = service.template(db, modele)
    if tpl is None:
        return {"target": target}
    return {
        "target": tpl["target"],
        "data": tpl["data"],
        "actions": tpl["actions"],
        "results": tpl["results"],
    }


def _person_name(person: dict) -> str:
    return f"{person['given_names']} {person['family_name'].upper()}"


def _existing_form(
    access,
    settings,
    original: dict,
    person: dict,
    values: dict,
    mode: str,
    *,
    status_code: int = 200,
    erreur: str | None = None,
) -> Template:
    """The form to edit (within the grace period) or correct an existing transmission."""
    path = "modifier" if mode == "edit" else "corriger"
    extra: dict[str, Any] = {}
    if mode == "edit":
        extra["editable_until"] = timefmt.label(original["editable_until"])
    if erreur:
        extra["erreur"] = erreur
    return Template(
        "transmissions/form.html",
        status_code=status_code,
        context=_form_context(
            access,
            person,
            values,
            mode=mode,
            original=original,
            action=f"/transmissions/{original['id']}/{path}",
            person_name=_person_name(person),
            grace=settings.transmission_grace_minutes,
            **extra,
        ),
    )


def _client_id(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not (8 <= len(value) <= 64) or not all(c.isalnum() or c in "-_" for c in value):
        raise InvalidInput("Identifiant d'envoi incorrect : rechargez le formulaire.")
    return value


def raise_grace(t: dict) -> None:
    if not t["mine"]:
        raise Forbidden(service.AUTHOR_ONLY)
    raise Conflict(service.GRACE_PASSED)
