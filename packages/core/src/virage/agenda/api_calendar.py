"""Agenda API: the calendar subscription and the ``.ics`` import."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, delete, post
from litestar.params import QueryParameter

from virage.accounts.auth import require_actor_guard
from virage.agenda import ical, importing
from virage.agenda.api_common import checked_ids, token_structure
from virage.agenda.models import (
    Feed,
    ImportReport,
)
from virage.db import utcnow_iso
from virage.deps import Access, Plugins


class AgendaCalendarController(Controller):
    """Calendar subscription and import."""

    path = "/api/v1/agenda"
    tags = ["Agenda"]
    guards = [require_actor_guard]

    @post("/me/feed", summary="Créer mon abonnement de calendrier (adresse secrète, une fois)")
    async def create_feed(self, request: Request, access: Access) -> Feed:
        secret = ical.create_feed(access)
        base = str(request.base_url).rstrip("/")
        return Feed(url=f"{base}/agenda/flux/{secret}.ics", created_at=utcnow_iso())

    @delete("/me/feed", summary="Révoquer mon abonnement de calendrier")
    async def revoke_feed(self, access: Access) -> None:
        ical.revoke_feed(access)

    @post(
        "/import",
        summary="Importer un fichier .ics (rapport : créés, refusés avec le motif)",
        description="Corps de la requête : le fichier iCalendar tel quel "
        "(Content-Type: text/calendar). Répétitions (RRULE, EXDATE) reprises à l'heure de Paris.",
        status_code=200,
    )
    async def import_ics(
        self,
        request: Request,
        access: Access,
        plugins: Plugins,
        professional: Annotated[
            list[int], QueryParameter(description="Professionnels des rendez-vous importés")
        ],
        kind: Annotated[
            str, QueryParameter(description="Type des rendez-vous importés")
        ] = "meeting",
        dry_run: Annotated[bool, QueryParameter(description="Simuler sans rien écrire")] = False,
        force: Annotated[
            bool, QueryParameter(description="Malgré les conflits (coordination)")
        ] = False,
    ) -> ImportReport:
        data = await request.body()
        report = await importing.import_calendar_async(
            access,
            plugins,
            token_structure(access),
            data,
            professional_ids=checked_ids(professional, "professional"),
            kind=kind,
            dry_run=dry_run,
            force=force,
        )
        return ImportReport(**report)
