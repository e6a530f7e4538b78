"""JSON API of the accounts domain: persons, care teams, audit. Bearer tokens only.

A token acts for its user in one structure: ``/api/v1/persons`` lists that structure's persons.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter

from virage.accounts import persons
from virage.accounts.auth import require_actor_guard
from virage.accounts.models import (
    AuditEntry,
    CareTeamAdd,
    CareTeamMember,
    EmergencyRequest,
    ExportRequest,
    Me,
    Person,
    PersonCreate,
    PersonSummary,
    PersonUpdate,
    SharingObjection,
)
from virage.deps import Access, Plugins
from virage.errors import InvalidInput

PersonId = FromPath[int]


def _structure(access) -> int:
    actor = access.require_login()
    if actor.token_structure_id is None:
        raise InvalidInput("Ce point d'accès demande un jeton rattaché à une structure.")
    return actor.token_structure_id


def _person(view: dict) -> Person:
    """The person as the caller may read her, with her objection to sharing (if any)."""
    objection = view["objection"]
    return Person(
        **view["person"],
        sharing_objection=SharingObjection(**objection) if objection else None,
    )


class MeController(Controller):
    path = "/api/v1/me"
    tags = ["Comptes"]
    guards = [require_actor_guard]

    @get("/", summary="Le compte qui appelle")
    async def me(self, access: Access) -> Me:
        a = access.require_login()
        return Me(
            id=a.user_id,
            username=a.username,
            display_name=a.display_name,
            is_network_admin=a.is_network_admin,
            structures={sid: a.memberships[sid] for sid in a.structure_ids},
            via=a.via,
        )


class PersonsController(Controller):
    path = "/api/v1/persons"
    tags = ["Personnes accompagnées"]
    guards = [require_actor_guard]

    @get("/", summary="Personnes accompagnées de la structure du jeton")
    async def list_persons(
        self,
        access: Access,
        q: Annotated[
            str | None, QueryParameter(description="Recherche sur le nom ou le prénom")
        ] = None,
        status: Annotated[str, QueryParameter(description="active, closed ou all")] = "active",
    ) -> list[PersonSummary]:
        if status not in ("active", "closed", "all"):
            raise InvalidInput("status doit valoir active, closed ou all.")
        rows = persons.list_for(access, _structure(access), q, None if status == "all" else status)
        return [PersonSummary(**r) for r in rows]

    @post("/", summary="Créer une personne accompagnée")
    async def create_person(self, access: Access, data: JSONBody[PersonCreate]) -> Person:
        person_id = persons.create(access, _structure(access), data.model_dump(mode="json"))
        return _person(persons.view(access, person_id))

    @get("/{person_id:int}", summary="Dossier d'une personne (santé : équipe de soins seulement)")
    async def get_person(self, access: Access, person_id: PersonId) -> Person:
        return _person(persons.view(access, person_id))

    @patch("/{person_id:int}", summary="Modifier une personne (champs envoyés seulement)")
    async def update_person(
        self, access: Access, person_id: PersonId, data: JSONBody[PersonUpdate]
    ) -> Person:
        persons.update(access, person_id, data.model_dump(mode="json", exclude_unset=True))
        return _person(persons.view(access, person_id))

    @post(
        "/{person_id:int}/close", summary="Clore le dossier (il reste consultable)", status_code=200
    )
    async def close_person(self, access: Access, person_id: PersonId) -> Person:
        persons.close(access, person_id)
        return _person(persons.view(access, person_id))

    @get(
        "/{person_id:int}/export",
        summary="Export RGPD : ce que le jeton peut lire ; les sections omises sont expliquées",
    )
    async def export_person(
        self,
        access: Access,
        plugins: Plugins,
        person_id: PersonId,
        motif: Annotated[
            str | None,
            QueryParameter(
                max_length=500,
                description="Motif d'un export complet (droit d'accès, DPO) ; préférez POST",
            ),
        ] = None,
    ) -> dict:
        return persons.export(access, plugins, person_id, motif)

    @post(
        "/{person_id:int}/export",
        status_code=200,
        summary="Export complet au titre du droit d'accès (DPO, motif obligatoire, signalé)",
    )
    async def export_person_for_right_of_access(
        self, access: Access, plugins: Plugins, person_id: PersonId, data: JSONBody[ExportRequest]
    ) -> dict:
        return persons.export(access, plugins, person_id, data.motif)

    @get("/{person_id:int}/care-team", summary="Équipe de soins")
    async def get_team(self, access: Access, person_id: PersonId) -> list[CareTeamMember]:
        return [CareTeamMember(**m) for m in persons.view(access, person_id)["care_team"]]

    @post("/{person_id:int}/care-team", summary="Ajouter un professionnel à l'équipe de soins")
    async def add_to_team(
        self, access: Access, person_id: PersonId, data: JSONBody[CareTeamAdd]
    ) -> list[CareTeamMember]:
        persons.add_member(access, person_id, data.user_id)
        return [CareTeamMember(**m) for m in persons.view(access, person_id)["care_team"]]

    @delete("/{person_id:int}/care-team/{user_id:int}", summary="Retirer de l'équipe de soins")
    async def remove_from_team(
        self, access: Access, person_id: PersonId, user_id: FromPath[int]
    ) -> None:
        persons.remove_member(access, person_id, user_id)

    @post("/{person_id:int}/emergency-access", summary="Accès d'urgence motivé (bris de glace)")
    async def emergency(
        self, access: Access, person_id: PersonId, data: JSONBody[EmergencyRequest]
    ) -> Person:
        access.request_emergency(person_id, data.reason)
        return _person(persons.view(access, person_id))

    @get("/{person_id:int}/access-log", summary="Qui a consulté ce dossier")
    async def access_log(self, access: Access, person_id: PersonId) -> list[AuditEntry]:
        return [AuditEntry(**e) for e in persons.access_log(access, person_id)]


# The journal's API lives with the journal (virage.audit.api); registered from here, as released.
from virage.audit.api import AuditController  # noqa: E402, F401
