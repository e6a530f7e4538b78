"""JSON API of the transmissions (bearer tokens only; a token acts in one structure).

Creating with a ``client_id`` is idempotent: the same identifier sent again answers
``200`` with the transmission already received instead of ``201`` with a new one.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from virage.accounts.auth import require_actor_guard
from virage.deps import Access, AppSettings, Plugins
from virage.errors import InvalidInput
from virage.transmissions import service
from virage.transmissions.models import (
    CorrectionCreate,
    NewForMe,
    Nomenclature,
    ResultCreate,
    Shift,
    Transmission,
    TransmissionCreate,
    TransmissionForReader,
    TransmissionUpdate,
)

TransmissionId = FromPath[int]


def _out(row: dict[str, Any]) -> Transmission:
    return Transmission(**_clean(row))


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in row.items() if k in Transmission.model_fields}
    data["acknowledgements"] = [
        {"user_id": a["user_id"], "display_name": a["display_name"], "at": a["at"]}
        for a in row.get("acknowledgements", [])
    ]
    data["children"] = [_clean(k) for k in row.get("children", [])]
    for extra in ("person_name", "acknowledged_at"):
        if extra in row:
            data[extra] = row[extra]
    return data


def _created(created: service.Created, access) -> Response[Transmission]:
    row = service.decorate(access, [dict(created.transmission)])[0]
    return Response(_out(row), status_code=201 if created.created else 200)


def _day(value: date | None, field: str) -> str | None:
    return service.parse_day(value.isoformat(), field) if value else None


def _next_day(value: date | None, field: str) -> str | None:
    return service.next_day(value.isoformat(), field) if value else None


class TransmissionsController(Controller):
    path = "/api/v1/transmissions"
    tags = ["Transmissions"]
    guards = [require_actor_guard]

    @get("/targets", summary="Nomenclature partagée : cibles, modèles, catégories, priorités")
    async def targets(self, access: Access) -> Nomenclature:
        access.require_login()
        return Nomenclature(**service.nomenclature(access.db))

    @get("/", summary="Fil des transmissions d'une personne (le plus récent d'abord)")
    async def timeline(
        self,
        access: Access,
        person_id: Annotated[int, QueryParameter(description="Personne accompagnée")],
        target: Annotated[str | None, QueryParameter(description="Code de cible")] = None,
        category: Annotated[str | None, QueryParameter(description="Catégorie")] = None,
        author_id: Annotated[int | None, QueryParameter(description="Auteur")] = None,
        since: Annotated[
            date | None, QueryParameter(description="Observées à partir de ce jour (Paris)")
        ] = None,
        until: Annotated[
            date | None, QueryParameter(description="Observées jusqu'à ce jour inclus (Paris)")
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[Transmission]:
        rows = service.timeline(
            access,
            person_id,
            target=target,
            category=category,
            author_id=author_id,
            since=_day(since, "since"),
            until=_next_day(until, "until"),
            limit=limit,
            view="api",
        )
        return [_out(r) for r in rows]

    @post(
        "/",
        summary="Écrire une transmission",
        description="201 : créée ; 200 : ce client_id avait déjà été reçu (aucun doublon).",
    )
    async def create(
        self,
        access: Access,
        plugins: Plugins,
        settings: AppSettings,
        data: JSONBody[TransmissionCreate],
    ) -> Response[Transmission]:
        fields = data.model_dump(exclude={"person_id", "client_id"})
        created = service.create_transmission(
            access,
            plugins,
            data.person_id,
            client_id=data.client_id,
            source="api",
            grace_minutes=settings.transmission_grace_minutes,
            **fields,
        )
        return _created(created, access)

    @get("/new-for-me", summary="Depuis ma dernière prise de poste (urgentes d'abord)")
    async def new_for_me(self, access: Access) -> NewForMe:
        feed = service.new_for_me(access)
        return NewForMe(
            since=feed["since"],
            since_source=feed["since_source"],
            items=[TransmissionForReader(**_clean(r)) for r in feed["items"]],
        )

    @post("/shift", summary="Prendre mon poste (la période « depuis » repart de maintenant)")
    async def take_shift(self, access: Access) -> Shift:
        return Shift(started_at=service.take_shift(access))

    @get(
        "/unacknowledged-urgent",
        summary="Transmissions urgentes (7 jours) dont personne n'a pris connaissance",
    )
    async def unacknowledged(self, access: Access) -> list[TransmissionForReader]:
        actor = access.require_login()
        if actor.token_structure_id is None:
            raise InvalidInput("Ce point d'accès demande un jeton rattaché à une structure.")
        rows = service.unacknowledged_urgent(access, actor.token_structure_id)
        return [TransmissionForReader(**_clean(r)) for r in rows]

    @get("/search", summary="Recherche plein texte dans ce que vous pouvez lire")
    async def search(
        self,
        access: Access,
        q: Annotated[str, QueryParameter(min_length=1, max_length=200, description="Mots")],
        person_id: Annotated[
            int | None, QueryParameter(description="Limiter à une personne")
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> list[TransmissionForReader]:
        rows = service.search(access, q, person_id=person_id, limit=limit)
        return [TransmissionForReader(**_clean(r)) for r in rows]

    @get("/{transmission_id:int}", summary="Une transmission, ses résultats et corrections")
    async def get_one(self, access: Access, transmission_id: TransmissionId) -> Transmission:
        return _out(service.get(access, transmission_id))

    @patch(
        "/{transmission_id:int}",
        summary="Modifier pendant le délai de correction (auteur seulement)",
    )
    async def update(
        self, access: Access, transmission_id: TransmissionId, data: JSONBody[TransmissionUpdate]
    ) -> Transmission:
        service.update(access, transmission_id, data.model_dump(exclude_unset=True))
        return _out(service.get(access, transmission_id))

    @delete(
        "/{transmission_id:int}",
        summary="Retirer pendant le délai de correction (auteur seulement)",
    )
    async def withdraw(self, access: Access, transmission_id: TransmissionId) -> None:
        service.withdraw(access, transmission_id)

    @post("/{transmission_id:int}/results", summary="Ajouter les résultats (entrée liée)")
    async def add_result(
        self,
        access: Access,
        plugins: Plugins,
        settings: AppSettings,
        transmission_id: TransmissionId,
        data: JSONBody[ResultCreate],
    ) -> Response[Transmission]:
        created = service.add_result(
            access,
            plugins,
            transmission_id,
            data.results,
            priority=data.priority,
            client_id=data.client_id,
            source="api",
            grace_minutes=settings.transmission_grace_minutes,
        )
        return _created(created, access)

    @post("/{transmission_id:int}/corrections", summary="Corriger (nouvelle entrée liée)")
    async def correct(
        self,
        access: Access,
        plugins: Plugins,
        settings: AppSettings,
        transmission_id: TransmissionId,
        data: JSONBody[CorrectionCreate],
    ) -> Response[Transmission]:
        created = service.correct(
            access,
            plugins,
            transmission_id,
            data.model_dump(exclude={"client_id"}),
            client_id=data.client_id,
            source="api",
            grace_minutes=settings.transmission_grace_minutes,
        )
        return _created(created, access)

    @post(
        "/{transmission_id:int}/acknowledgements",
        summary="J'ai pris connaissance",
        status_code=200,
    )
    async def acknowledge(self, access: Access, transmission_id: TransmissionId) -> Transmission:
        return _out(service.acknowledge(access, transmission_id))
