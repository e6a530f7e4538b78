"""JSON API of the entourage, beside the persons' API: ``/api/v1/persons/{id}/entourage``.

Bearer tokens only, acting in their structure; the health part (advance directives, allergies,
treatments as declared) only for the care team.
"""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from virage.accounts.auth import require_actor_guard
from virage.deps import Access
from virage.entourage import service
from virage.entourage.models import Entourage, Entry, EntryIn


def _entourage(person_id: int, view: dict) -> Entourage:
    return Entourage(
        person_id=person_id,
        contacts=view["contacts"],
        entries=[Entry(**row) for row in view["entries"]],
        health_included=view["can_health"],
    )


class EntourageController(Controller):
    path = "/api/v1/persons/{person_id:int}/entourage"
    guards = [require_actor_guard]
    tags = ["Entourage"]

    @get("/", summary="Entourage d'une personne (santé déclarée : équipe de soins seulement)")
    async def read(self, access: Access, person_id: FromPath[int]) -> Entourage:
        return _entourage(person_id, service.view(access, person_id))

    @post("/", summary="Ajouter une mention (personne de confiance, proche, allergie…)")
    async def add(
        self, access: Access, person_id: FromPath[int], data: JSONBody[EntryIn]
    ) -> Entourage:
        service.add(access, person_id, data)
        return _entourage(person_id, service.view(access, person_id))

    @delete("/{entry_id:int}", summary="Retirer une mention (changée ou enregistrée par erreur)")
    async def remove(
        self, access: Access, person_id: FromPath[int], entry_id: FromPath[int]
    ) -> None:
        service.remove(access, person_id, entry_id)
