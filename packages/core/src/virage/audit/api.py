"""JSON API of the journal: the entries about one person of the token's structure, filtered by
period and action (direction, DPO; ``person_id`` is required); the whole journal and a worker's
activity for the DPO only, with a reason (POST, recorded and flagged; a worker's activity is shown
to her). No parameter of the listing filters by worker: ``actor_user_id`` is refused."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import JSONBody, QueryParameter
from pydantic import BaseModel, Field

from virage.accounts.auth import require_actor_guard
from virage.accounts.models import AuditEntry
from virage.audit import journal
from virage.deps import Access
from virage.errors import InvalidInput


class JournalEntry(AuditEntry):
    label: str = Field(description="L'action, en français")
    person_name: str | None = Field(
        default=None, description="« Prénom NOM », si le compte peut savoir que la personne existe"
    )


class WorkerActivityRequest(BaseModel):
    user_id: int = Field(ge=1, description="Le professionnel dont on consulte l'activité")
    motif: str = Field(
        default="",
        max_length=500,
        description="Motif (10 caractères au moins), enregistré et montré au professionnel",
    )
    since: date | None = None
    until: date | None = None
    action: str | None = Field(default=None, max_length=100)
    limit: int = Field(default=200, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class FullJournalRequest(BaseModel):
    motif: str = Field(
        default="", max_length=500, description="Motif (10 caractères au moins), inscrit au journal"
    )
    since: date | None = None
    until: date | None = None
    action: str | None = Field(default=None, max_length=100)
    emergency_only: bool = False
    limit: int = Field(default=200, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


def _structure(access) -> int:
    actor = access.require_login()
    if actor.token_structure_id is None:
        raise InvalidInput("Ce point d'accès demande un jeton rattaché à une structure.")
    return actor.token_structure_id


def _entries(page: dict) -> list[JournalEntry]:
    fields = set(JournalEntry.model_fields)
    return [JournalEntry(**{k: v for k, v in e.items() if k in fields}) for e in page["entries"]]


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["Journal des accès"]
    guards = [require_actor_guard]

    @get(
        "/",
        summary="Qui a consulté le dossier d'une personne : le journal de la structure du jeton, "
        "filtré par personne (direction, DPO)",
    )
    async def structure_log(
        self,
        access: Access,
        limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 200,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
        person_id: Annotated[
            int | None,
            QueryParameter(
                ge=1,
                description="Obligatoire : la personne dont on veut savoir qui a consulté le "
                "dossier (tout le journal : POST /api/v1/audit/export, DPO, motif)",
            ),
        ] = None,
        action: Annotated[str | None, QueryParameter(max_length=100)] = None,
        since: Annotated[date | None, QueryParameter(description="Premier jour (Paris)")] = None,
        until: Annotated[date | None, QueryParameter(description="Dernier jour (Paris)")] = None,
        emergency_only: bool = False,
        actor_user_id: Annotated[
            int | None,
            QueryParameter(
                description="Refusé : l'activité d'un professionnel se demande en POST "
                "/api/v1/audit/worker-activity (DPO, motif)"
            ),
        ] = None,
    ) -> list[JournalEntry]:
        sid = _structure(access)
        filters = journal.Filters(
            personne=person_id, du=since, au=until, action=action, urgence=emergency_only
        )
        if actor_user_id is not None:
            journal.worker_page(access, sid, actor_user_id, None, filters)  # refuses, recorded
        if person_id is None:
            # Every line with its author, page after page: the DPO's, with a reason (POST
            # /api/v1/audit/export). Refused here to everyone, and recorded.
            journal.require_full(access, sid, None, filters)
        return _entries(journal.structure_page(access, sid, filters, window=(limit, offset)))

    @post(
        "/export",
        status_code=200,
        summary="Tout le journal de la structure du jeton (DPO, motif obligatoire, signalé)",
    )
    async def full_export(
        self, access: Access, data: JSONBody[FullJournalRequest]
    ) -> list[JournalEntry]:
        sid = _structure(access)
        filters = journal.Filters(
            du=data.since, au=data.until, action=data.action, urgence=data.emergency_only
        )
        page = journal.full_page(access, sid, data.motif, filters, window=(data.limit, data.offset))
        return _entries(page)

    @post(
        "/worker-activity",
        status_code=200,
        summary="Activité d'un professionnel (DPO, motif obligatoire, signalé, montré au professionnel)",
    )
    async def worker_activity(
        self, access: Access, data: JSONBody[WorkerActivityRequest]
    ) -> list[JournalEntry]:
        sid = _structure(access)
        filters = journal.Filters(du=data.since, au=data.until, action=data.action)
        page = journal.worker_page(
            access, sid, data.user_id, data.motif, filters, window=(data.limit, data.offset)
        )
        return _entries(page)
