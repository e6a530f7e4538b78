"""JSON API of orientation, under /api/v1/orientation (bearer tokens)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post, put
from litestar.params import FromPath, JSONBody

from virage.sdk import Access, Plugins, require_actor_guard
from virage_orientation import service
from virage_orientation.catalog import CRITERIA, MODULES, OFFERS, REFUSAL_REASONS, SENDING_STATUSES
from virage_orientation.models import (
    AnswerIn,
    ChooseIn,
    MedicalIn,
    PlacesIn,
    RequestIn,
    SendIn,
    WithdrawIn,
)

Id = FromPath[int]


def _public(req: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in req.items() if k not in ("lat", "lon")}


class OrientationApi(Controller):
    path = "/api/v1/orientation"
    tags = ["Orientation"]
    guards = [require_actor_guard]

    @get("/catalogue", summary="Modules, offres, besoins, statuts et motifs de refus")
    async def catalog(self) -> dict[str, Any]:
        return {
            "modules": MODULES,
            "offers": {
                k: {"label": o.label, "module": o.module, "finess_categories": list(o.categories)}
                for k, o in OFFERS.items()
            },
            "criteria": {k: c.label for k, c in CRITERIA.items()},
            "statuses": SENDING_STATUSES,
            "refusal_reasons": REFUSAL_REASONS,
        }

    @post("/demandes", summary="Créer une demande d'orientation (volet administratif)")
    async def create(self, data: JSONBody[RequestIn], access: Access) -> dict[str, Any]:
        return _public(service.create_request(access, data))

    @get("/demandes/{request_id:int}", summary="Une demande, ses envois et leur historique")
    async def read(self, request_id: Id, access: Access) -> dict[str, Any]:
        return _public(service.requester_view(access, request_id))

    @put("/demandes/{request_id:int}", summary="Modifier le volet administratif (avant envoi)")
    async def update(
        self, request_id: Id, data: JSONBody[RequestIn], access: Access
    ) -> dict[str, Any]:
        return _public(service.update_request(access, request_id, data))

    @put("/demandes/{request_id:int}/volet-medical", summary="Compléter le volet médical")
    async def medical(
        self, request_id: Id, data: JSONBody[MedicalIn], access: Access
    ) -> dict[str, Any]:
        return service.save_medical(access, request_id, data.content)

    @get(
        "/demandes/{request_id:int}/propositions",
        summary="Structures proposées, classées, avec leurs raisons",
    )
    async def proposals(self, request_id: Id, access: Access, plugins: Plugins) -> dict[str, Any]:
        return service.proposals(access, plugins, request_id)

    @post("/demandes/{request_id:int}/envois", summary="Envoyer la demande aux structures choisies")
    async def send(
        self, request_id: Id, data: JSONBody[SendIn], access: Access, plugins: Plugins
    ) -> dict[str, Any]:
        return _public(service.send(access, plugins, request_id, data.structures))

    @post(
        "/demandes/{request_id:int}/admission",
        summary="Accepter l'admission proposée par une structure",
    )
    async def choose(
        self, request_id: Id, data: JSONBody[ChooseIn], access: Access
    ) -> dict[str, Any]:
        return _public(service.choose(access, request_id, data.sending_id))

    @post(
        "/demandes/{request_id:int}/retrait",
        summary="Retirer la demande (motif obligatoire) : les envois ouverts sont annulés",
        description=(
            "Le demandeur retire sa demande (la personne a changé d'avis, rentre à domicile, a "
            "trouvé une place ailleurs…). Chaque envoi encore ouvert passe à « Annulée par le "
            "demandeur », la demande est clôturée, le motif est inscrit à l'historique et visible "
            "des structures destinataires : n'y mettez aucune information médicale. 409 si la "
            "demande est déjà close (admission réalisée, demande déjà retirée)."
        ),
    )
    async def withdraw(
        self, request_id: Id, data: JSONBody[WithdrawIn], access: Access
    ) -> dict[str, Any]:
        return _public(service.withdraw(access, request_id, data.reason))

    @get("/structures/{structure_id:int}/demandes", summary="Demandes de la structure demandeuse")
    async def of_structure(self, structure_id: Id, access: Access) -> list[dict[str, Any]]:
        return [_public(r) for r in service.requests_of_structure(access, structure_id)]

    @get("/structures/{structure_id:int}/recues", summary="Demandes reçues par la structure")
    async def incoming(self, structure_id: Id, access: Access) -> list[dict[str, Any]]:
        return service.incoming(access, structure_id)

    @get("/structures/{structure_id:int}/recues/{sending_id:int}", summary="Une demande reçue")
    async def incoming_one(
        self, structure_id: Id, sending_id: Id, access: Access
    ) -> dict[str, Any]:
        return _public(service.incoming_view(access, structure_id, sending_id))

    @post(
        "/structures/{structure_id:int}/recues/{sending_id:int}/reponse",
        summary="Répondre à une demande reçue",
    )
    async def answer(
        self, structure_id: Id, sending_id: Id, data: JSONBody[AnswerIn], access: Access
    ) -> dict[str, Any]:
        return service.answer(access, structure_id, sending_id, data)

    @get("/structures/{structure_id:int}/places", summary="Places déclarées par offre")
    async def places(self, structure_id: Id, access: Access) -> dict[str, Any]:
        return service.places(access, structure_id)

    @put(
        "/structures/{structure_id:int}/places",
        summary="Déclarer les places disponibles d'une offre",
    )
    async def set_places(
        self, structure_id: Id, data: JSONBody[PlacesIn], access: Access
    ) -> dict[str, Any]:
        return service.set_places(access, structure_id, data.offer, data.places)

    @get(
        "/tableau-de-bord", summary="Tableau de bord du réseau (agrégé, sans données personnelles)"
    )
    async def dashboard(self, access: Access) -> dict[str, Any]:
        return service.dashboard(access)
