"""``POST /agenda/pointages``: the round's writes kept on the device, sent when the network returns.

Asked by ``/static/offline.js`` (session cookie + ``x-csrftoken`` header), one entry at a time, in
the order they were made. 201: recorded; 200: this client identifier had already been received
(nothing written twice); 409 with a French ``detail``: refused (a visit cancelled meanwhile…),
shown to the worker. See :mod:`.sync`.
"""

from __future__ import annotations

from litestar import Controller, MediaType, post
from litestar.params import JSONBody
from litestar.response import Response
from pydantic import BaseModel, ConfigDict, Field

from virage.accounts.auth import require_actor_guard
from virage.agenda import sync
from virage.agenda.limits import MAX_ID
from virage.deps import Access, Plugins


class QueuedWrite(BaseModel):
    """One entry of the device's queue."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    client_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$", description="Identifiant d'envoi")
    appointment_id: int = Field(ge=1, le=MAX_ID)
    action: str = Field(pattern=r"^(in|out|status)$")
    status: str = Field(default="", max_length=20)
    at: str | None = Field(default=None, max_length=40, description="Heure du geste (ISO 8601)")


class AgendaSyncEndpoint(Controller):
    path = "/agenda"
    include_in_schema = False
    guards = [require_actor_guard]

    @post("/pointages", status_code=201, name="agenda-sync")
    async def send(self, access: Access, plugins: Plugins, data: JSONBody[QueuedWrite]) -> Response:
        created, _receipt = sync.send(
            access,
            plugins,
            client_id=data.client_id,
            appointment_id=data.appointment_id,
            action=data.action,
            status=data.status,
            at=data.at,
        )
        body = {
            "created": created,
            "appointment_id": data.appointment_id,
            "message": "Enregistré."
            if created
            else "Déjà reçu : rien n'a été enregistré deux fois.",
        }
        return Response(body, status_code=201 if created else 200, media_type=MediaType.JSON)
