"""JSON API of the person's file (bearer tokens; a token acts in one structure).

FHIR exports answer ``application/fhir+json``; the import takes a Bundle (20 Mo, 20 000
resources at most) and answers the ids of the persons created.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, JSONBody
from pydantic import BaseModel, Field

from virage.accounts.auth import require_actor_guard
from virage.deps import Access
from virage.dossier import fhir_export, fhir_import, service
from virage.errors import InvalidInput
from virage.fhir_common import MEDIA_TYPE

PersonId = FromPath[int]


class ObjectiveIn(BaseModel):
    words: str = Field(max_length=2000, description="L'objectif, avec les mots de la personne")
    actions: str = Field(default="", max_length=2000)
    who: str = Field(default="", max_length=200, description="Qui fait quoi")
    care: bool = Field(default=False, description="Objectif de soins (équipe de soins)")
    origin_id: int | None = Field(default=None, description="L'objectif qu'il prolonge")


class PlanIn(BaseModel):
    objectives: list[ObjectiveIn] = Field(max_length=20)
    review_on: str = Field(max_length=10, description="Date de révision (AAAA-MM-JJ)")
    agreed_on: str | None = Field(default=None, max_length=10)
    agreed_how: str = Field(default="", max_length=20)
    agreed_by: str = Field(default="", max_length=200)


class AssessmentIn(BaseModel):
    questionnaire: str = Field(max_length=60, description="aggir, chutes ou celui d'un plugin")
    answers: dict[str, str] = Field(max_length=200)
    answered_on: str = Field(max_length=10)
    respondent: str = Field(max_length=20, description="personne, proche ou professionnel")
    respondent_name: str = Field(default="", max_length=200)


class LinkIn(BaseModel):
    transmission_id: int


class Created(BaseModel):
    id: int


class Imported(BaseModel):
    person_ids: list[int]


def _structure(access) -> int:
    actor = access.require_login()
    if actor.token_structure_id is None:
        raise InvalidInput("Ce point d'accès demande un jeton rattaché à une structure.")
    return actor.token_structure_id


def _plan_out(view: dict) -> dict[str, Any]:
    return {
        "plan": view["plan"],
        "objectives": [
            {**o, "transmission_ids": [t["id"] for t in view["linked"].get(o["id"], [])]}
            for o in view["objectives"]
        ],
        "hidden_care_objectives": view["hidden_care"],
        "versions": [
            {k: v[k] for k in ("id", "version", "status", "created_at")} for v in view["versions"]
        ],
    }


class DossierController(Controller):
    path = "/api/v1/persons/{person_id:int}/dossier"
    tags = ["Dossier de la personne"]
    guards = [require_actor_guard]

    @get("/plan", summary="Projet personnalisé en cours (objectifs de soins : équipe de soins)")
    async def plan(self, access: Access, person_id: PersonId) -> dict[str, Any]:
        return _plan_out(service.plan_view(access, person_id))

    @post("/plan", summary="Nouvelle version du projet personnalisé", status_code=201)
    async def new_plan(
        self, access: Access, person_id: PersonId, data: JSONBody[PlanIn]
    ) -> Created:
        body = data.model_dump()
        return Created(id=service.save_plan(access, person_id, body))

    @post(
        "/objectives/{objective_id:int}/transmissions",
        summary="Rattacher une transmission à un objectif du projet en cours",
        status_code=200,
    )
    async def link(
        self,
        access: Access,
        person_id: PersonId,
        objective_id: FromPath[int],
        data: JSONBody[LinkIn],
    ) -> dict[str, bool]:
        added = service.link_transmission(access, person_id, objective_id, data.transmission_id)
        return {"added": added}

    @get("/assessments", summary="Évaluations (équipe de soins, coordination)")
    async def assessments(self, access: Access, person_id: PersonId) -> list[dict[str, Any]]:
        return service.assessments(access, person_id)

    @post("/assessments", summary="Enregistrer une évaluation", status_code=201)
    async def new_assessment(
        self, access: Access, person_id: PersonId, data: JSONBody[AssessmentIn]
    ) -> dict[str, Any]:
        body = data.model_dump()
        new_id = service.record_assessment(access, person_id, body["questionnaire"], body)
        row = next(r for r in service.assessments(access, person_id) if r["id"] == new_id)
        return {"id": new_id, "result": row["result"]}

    @get("/fhir", summary="Tout le dossier, en Bundle FHIR R4", media_type=MEDIA_TYPE)
    async def fhir(self, access: Access, person_id: PersonId) -> Response:
        return Response(fhir_export.export_person(access, person_id), media_type=MEDIA_TYPE)


class StructureFilesController(Controller):
    path = "/api/v1/dossiers"
    tags = ["Dossier de la personne"]
    guards = [require_actor_guard]

    @get(
        "/fhir",
        summary="Tous les dossiers de la structure du jeton (Bundle FHIR R4)",
        media_type=MEDIA_TYPE,
    )
    async def export(self, access: Access) -> Response:
        return Response(
            fhir_export.export_structure(access, _structure(access)), media_type=MEDIA_TYPE
        )

    @post(
        "/fhir",
        summary="Importer des dossiers (Bundle FHIR R4) dans la structure du jeton",
        status_code=201,
        request_max_body_size=fhir_import.MAX_BYTES,
    )
    async def import_bundle(self, access: Access, request: Request) -> Imported:
        data = fhir_import.parse(await request.body())
        return Imported(person_ids=fhir_import.import_bundle(access, _structure(access), data))
