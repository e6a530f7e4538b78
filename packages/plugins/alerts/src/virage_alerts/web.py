"""The alerts' routes: the devices' webhook (``POST /alertes/evenements``, signed, no session),
the night board and its live feed (``/alertes/...``, signed-in workers), the director's devices.

Every page works without JavaScript (forms and a reload link); the board's short script listens
to the live feed (server-sent events, reconnecting with ``Last-Event-ID``) and refreshes itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, ServerSentEvent, ServerSentEventMessage, Template

from virage.sdk import (
    Access,
    AppSettings,
    InvalidInput,
    NotFound,
    Plugins,
    VirageError,
    accounts,
    require_actor_guard,
)
from virage.sdk.devices import acting_for_structure
from virage_alerts import adapters, aftercare, board, devices, escalation, intake, lifecycle

Id = FromPath[int]
#: A live feed ends after this long; the browser reconnects at once with ``Last-Event-ID``.
STREAM_SECONDS = 300.0
#: How often the live feed looks for new steps.
POLL_SECONDS = 0.25


class Webhook(Controller):
    path = "/alertes/evenements"
    include_in_schema = False

    @post(
        "/",
        exclude_from_csrf=True,
        request_max_body_size=adapters.MAX_BODY + 1,
        status_code=201,
    )
    async def receive(
        self, request: Request, access: Access, settings: AppSettings, plugins: Plugins
    ) -> Response:
        body = await request.body()
        try:
            got = intake.receive(access.db, settings.secret_key, plugins, request.headers, body)
        except VirageError as exc:  # a sensor reads JSON, never the sign-in page
            return Response({"detail": exc.message}, status_code=exc.status_code)
        return Response(
            {"alerte": got.alert_id, "doublon": got.duplicate},
            status_code=200 if got.duplicate else 201,
        )


def _structure(access, structure_id: int) -> dict:
    found = accounts.structure(access.db, structure_id)
    if found is None:
        raise NotFound("Structure introuvable.")
    return {"id": structure_id, "name": found["name"]}


class AlertPages(Controller):
    path = "/alertes"
    guards = [require_actor_guard]
    include_in_schema = False

    @get("/", name="alerts-home")
    async def home(self, access: Access) -> Template | Redirect:
        actor = access.require_login()
        rows = [
            {
                **_structure(access, sid),
                "board": access.allowed(board.READ, structure_id=sid),
                "manage": access.allowed(devices.MANAGE, structure_id=sid),
                "rooms": access.allowed("alerts.rooms", structure_id=sid),
                "quality": access.allowed("alerts.quality", structure_id=sid),
            }
            for sid in actor.structure_ids
        ]
        rows = [r for r in rows if r["board"] or r["manage"] or r["quality"]]
        if len(rows) == 1 and rows[0]["board"] and not rows[0]["manage"]:
            return Redirect(f"/alertes/structures/{rows[0]['id']}", status_code=303)
        return Template("alerts/home.html", context={"structures": rows})

    @get("/structures/{structure_id:int}", name="alerts-board")
    async def board_page(self, access: Access, plugins: Plugins, structure_id: Id) -> Template:
        return Template(
            "alerts/board.html",
            context={
                "structure": _structure(access, structure_id),
                **board.state(access, plugins, structure_id),
            },
        )

    @get("/structures/{structure_id:int}/flux", name="alerts-feed")
    async def stream(self, request: Request, access: Access, structure_id: Id) -> ServerSentEvent:
        access.require_login()
        access.require(board.READ, structure_id=structure_id, action="alerts.feed.open")
        raw = request.headers.get("last-event-id") or request.query_params.get("depuis") or "0"
        after = int(raw) if raw.isdigit() and len(raw) < 15 else 0
        # A browser's EventSource asks for a stream; anything else gets the catch-up and the end.
        live = "text/event-stream" in (request.headers.get("accept") or "")
        return ServerSentEvent(
            _events(access.db, structure_id, after, STREAM_SECONDS if live else 0.0),
            retry_duration=2000,
            headers={"Cache-Control": "no-store"},
        )

    @post("/structures/{structure_id:int}/alertes/{alert_id:int}/{step:str}", status_code=303)
    async def step(
        self, request: Request, access: Access, structure_id: Id, alert_id: Id, step: FromPath[str]
    ) -> Redirect:
        form = await request.form()
        if step == "jy-vais":
            lifecycle.take(access, structure_id, alert_id)
        elif step == "sur-place":
            lifecycle.on_site(access, structure_id, alert_id)
        elif step == "fausse-alerte":
            lifecycle.close(access, structure_id, alert_id, "false_alarm")
        elif step == "terminer":
            closed = lifecycle.close(access, structure_id, alert_id, form.get("outcome", ""))
            if aftercare.can_write(access, closed["person_id"]):  # the resident's care team
                return Redirect(
                    f"/alertes/structures/{structure_id}/alertes/{alert_id}/apres-la-chute",
                    status_code=303,
                )
        else:
            raise InvalidInput("Action inconnue sur une alerte : rechargez le tableau.")
        return Redirect(f"/alertes/structures/{structure_id}#alerte-{alert_id}", status_code=303)

    @get("/structures/{structure_id:int}/capteurs", name="alerts-devices")
    async def device_list(self, access: Access, structure_id: Id) -> Template:
        return self._devices_page(access, structure_id)

    def _devices_page(self, access, structure_id: int, **extra) -> Template:
        return Template(
            "alerts/devices.html",
            context={
                "structure": _structure(access, structure_id),
                "devices": devices.listing(access, structure_id),
                **extra,
            },
        )

    @post("/structures/{structure_id:int}/capteurs", status_code=200)
    async def enrol(
        self, request: Request, access: Access, settings: AppSettings, structure_id: Id
    ) -> Template:
        form = await request.form()
        device_id, secret = devices.enrol(
            access,
            settings.secret_key,
            structure_id,
            form.get("name", ""),
            form.get("room", ""),
            form.get("unit", ""),
        )
        return self._devices_page(access, structure_id, new_device=device_id, secret=secret)

    @post("/structures/{structure_id:int}/capteurs/{device_id:int}/revoquer", status_code=303)
    async def revoke(self, access: Access, structure_id: Id, device_id: Id) -> Redirect:
        devices.revoke(access, structure_id, device_id)
        return Redirect(f"/alertes/structures/{structure_id}/capteurs", status_code=303)


async def _events(
    db, structure_id: int, after: int, seconds: float
) -> AsyncIterator[ServerSentEventMessage]:
    """The steps after ``after``, then each new one, for ``seconds``."""
    waited = 0.0
    while True:
        with acting_for_structure(structure_id):
            escalation.escalate_due(db, structure_id)
            items = board.feed(db, structure_id, after)
        for item in items:
            after = item["id"]
            yield ServerSentEventMessage(
                data=board.message(item), id=str(item["id"]), event="alerte"
            )
        if waited >= seconds:
            return
        await asyncio.sleep(POLL_SECONDS)
        waited += POLL_SECONDS
