"""JSON API of the teleconsultation, under ``/api/v1/teleconsultation`` (bearer tokens)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from pydantic import BaseModel, Field

from virage.sdk import Access, Plugins, require_actor_guard, today_paris
from virage_teleconsultation import service

Id = FromPath[int]


class TeleconsultationIn(BaseModel):
    person_id: int
    doctor_professional_id: int = Field(description="Médecin téléconsultant (annuaire)")
    accompanying_user_id: int | None = Field(
        None, description="Professionnel présent auprès de la personne (vous par défaut)"
    )
    reason: str = Field(min_length=3, max_length=2000, description="Motif")
    documents: str = Field("", max_length=2000, description="Documents à préparer")


class ScheduleIn(BaseModel):
    start: datetime = Field(description="Début (ISO 8601 ; sans fuseau : heure de Paris)")
    force: bool = False


class PrepareIn(BaseModel):
    identity_checked: bool
    consent: bool
    consent_method: str = Field(description="oral, written ou representative")
    consent_collected_by: int | None = None
    equipment: list[str] = Field(description="device, network, room, instruments, documents")


class ReasonIn(BaseModel):
    reason: str = Field(min_length=3, max_length=300)


class ReportIn(BaseModel):
    data: str = Field(min_length=3, max_length=3500, description="Compte rendu")
    actions: str = Field("", max_length=2000, description="Prescriptions, conduite à tenir")
    results: str = Field("", max_length=2000)


class TeleconsultationApi(Controller):
    path = "/api/v1/teleconsultation"
    guards = [require_actor_guard]
    tags = ["Téléconsultation"]

    @get("/", summary="Mes téléconsultations (demandées, accompagnées, menées)")
    async def mine(self, access: Access, plugins: Plugins) -> list[dict[str, Any]]:
        return service.mine(access, plugins)

    @post("/", summary="Demander une téléconsultation")
    async def create(
        self, data: JSONBody[TeleconsultationIn], access: Access, plugins: Plugins
    ) -> dict[str, Any]:
        tc_id = service.request(access, plugins, data.model_dump())
        return service.view(access, plugins, tc_id)

    @get("/{tc_id:int}", summary="Une téléconsultation (lien de visio : participants seulement)")
    async def one(self, tc_id: Id, access: Access, plugins: Plugins) -> dict[str, Any]:
        return service.view(access, plugins, tc_id)

    @get(
        "/{tc_id:int}/creneaux",
        summary="Créneaux libres du médecin un jour donné (dans ses horaires)",
    )
    async def slots(
        self,
        tc_id: Id,
        access: Access,
        plugins: Plugins,
        du: Annotated[date | None, QueryParameter()] = None,
    ) -> list[dict[str, Any]]:
        return service.free_slots(access, plugins, tc_id, du or today_paris())

    @post("/{tc_id:int}/planifier", summary="Réserver le créneau dans l'agenda")
    async def schedule(
        self, tc_id: Id, data: JSONBody[ScheduleIn], access: Access, plugins: Plugins
    ) -> dict[str, Any]:
        service.schedule(access, plugins, tc_id, data.start, data.force)
        return service.view(access, plugins, tc_id)

    @post("/{tc_id:int}/preparer", summary="Identité, consentement, matériel : prête")
    async def prepare(
        self, tc_id: Id, data: JSONBody[PrepareIn], access: Access, plugins: Plugins
    ) -> dict[str, Any]:
        service.prepare(access, tc_id, **data.model_dump())
        return service.view(access, plugins, tc_id)

    @post("/{tc_id:int}/commencer", summary="Commencer la séance")
    async def start(self, tc_id: Id, access: Access, plugins: Plugins) -> dict[str, Any]:
        service.start(access, plugins, tc_id)
        return service.view(access, plugins, tc_id)

    @post("/{tc_id:int}/terminer", summary="La séance a eu lieu")
    async def finish(self, tc_id: Id, access: Access, plugins: Plugins) -> dict[str, Any]:
        service.finish(access, plugins, tc_id)
        return service.view(access, plugins, tc_id)

    @post("/{tc_id:int}/non-realisee", summary="La séance n'a pas eu lieu (motif)")
    async def not_done(
        self, tc_id: Id, data: JSONBody[ReasonIn], access: Access, plugins: Plugins
    ) -> dict[str, Any]:
        service.not_done(access, plugins, tc_id, data.reason)
        return service.view(access, plugins, tc_id)

    @post("/{tc_id:int}/annuler", summary="Annuler avant la séance (motif)")
    async def cancel(
        self, tc_id: Id, data: JSONBody[ReasonIn], access: Access, plugins: Plugins
    ) -> dict[str, Any]:
        service.cancel(access, plugins, tc_id, data.reason)
        return service.view(access, plugins, tc_id)

    @post("/{tc_id:int}/compte-rendu", summary="Compte rendu du médecin → transmission")
    async def report(
        self, tc_id: Id, data: JSONBody[ReportIn], access: Access, plugins: Plugins
    ) -> dict[str, Any]:
        service.report(access, plugins, tc_id, **data.model_dump())
        return service.view(access, plugins, tc_id)
