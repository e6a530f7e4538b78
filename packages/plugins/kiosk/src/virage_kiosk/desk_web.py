"""The desk's pages (``/accueil/...``, signed-in workers): the queue of the day, calling the
next ticket, the kiosks and screens of a structure, its reception settings, and the printable
convocation of an appointment."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from virage.sdk import Access, AppSettings, InvalidInput, Plugins, accounts, require_actor_guard
from virage_kiosk import clock, desk, devices, storage
from virage_kiosk.calendar_file import convocation_ics

Id = FromPath[int]


def _structure(access, structure_id: int) -> dict:
    found = accounts.structure(access.db, structure_id)
    return {"id": structure_id, "name": found["name"] if found else ""}


def _int_or_none(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        raise InvalidInput("Lieu : choisissez dans la liste.") from None


class DeskPages(Controller):
    path = "/accueil"
    guards = [require_actor_guard]
    include_in_schema = False

    @get("/", name="kiosk-desk-home")
    async def home(self, access: Access) -> Template:
        actor = access.require_login()
        rows = []
        for sid in actor.structure_ids:
            can_desk = access.allowed("kiosk.desk", structure_id=sid)
            can_manage = access.allowed("kiosk.manage", structure_id=sid)
            can_print = access.allowed("kiosk.convocation", structure_id=sid)
            if can_desk or can_manage or can_print:
                rows.append(
                    {
                        **_structure(access, sid),
                        "desk": can_desk,
                        "manage": can_manage,
                        "print": can_print,
                    }
                )
        return Template("kiosk/desk_home.html", context={"structures": rows})

    @get("/structures/{structure_id:int}/file", name="kiosk-queue")
    async def queue(
        self,
        access: Access,
        structure_id: Id,
        appele: Annotated[str, QueryParameter()] = "",
        guichet: Annotated[str, QueryParameter()] = "Guichet 1",
    ) -> Template:
        tickets = desk.queue(access, structure_id)
        return Template(
            "kiosk/queue.html",
            context={
                "structure": _structure(access, structure_id),
                "tickets": tickets,
                "called": appele[:12],
                "desk": guichet[:30],
            },
        )

    @post("/structures/{structure_id:int}/appeler", status_code=303)
    async def call_next(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        form = await request.form()
        called = desk.call_next(access, structure_id, form.get("desk", ""))
        query = urlencode(
            {
                "appele": called["number"] if called else "personne",
                "guichet": called["desk"] if called else form.get("desk", "")[:30],
            }
        )
        return Redirect(f"/accueil/structures/{structure_id}/file?{query}", status_code=303)

    @post("/structures/{structure_id:int}/tickets/{ticket_id:int}/{step:str}", status_code=303)
    async def ticket_step(
        self, access: Access, structure_id: Id, ticket_id: Id, step: FromPath[str]
    ) -> Redirect:
        steps = {"verifie": "verified", "termine": "done"}
        if step not in steps:
            raise InvalidInput("Action inconnue sur un ticket.")
        desk.set_ticket(access, structure_id, ticket_id, steps[step])
        return Redirect(f"/accueil/structures/{structure_id}/file", status_code=303)

    @get("/structures/{structure_id:int}/bornes", name="kiosk-devices")
    async def device_list(self, access: Access, structure_id: Id) -> Template:
        return self._devices_page(access, structure_id)

    def _devices_page(self, access, structure_id: int, **extra) -> Template:
        return Template(
            "kiosk/devices.html",
            context={
                "structure": _structure(access, structure_id),
                "devices": devices.listing(access, structure_id),
                "places": storage.places(access.db, structure_id),
                "kinds": devices.KINDS,
                **extra,
            },
        )

    @post("/structures/{structure_id:int}/bornes", status_code=200)
    async def enrol(self, request: Request, access: Access, structure_id: Id) -> Template:
        form = await request.form()
        device_id, secret = devices.enrol(
            access,
            structure_id,
            form.get("name", ""),
            form.get("kind", ""),
            _int_or_none(form.get("place_id")),
        )
        return self._devices_page(access, structure_id, new_device=device_id, secret=secret)

    @post("/structures/{structure_id:int}/bornes/{device_id:int}/revoquer", status_code=303)
    async def revoke(self, access: Access, structure_id: Id, device_id: Id) -> Redirect:
        devices.revoke(access, structure_id, device_id)
        return Redirect(f"/accueil/structures/{structure_id}/bornes?ok=revoquee", status_code=303)

    @get("/structures/{structure_id:int}/reglages", name="kiosk-settings")
    async def settings_page(self, access: Access, structure_id: Id) -> Template:
        return Template(
            "kiosk/settings.html",
            context={
                "structure": _structure(access, structure_id),
                **desk.configuration(access, structure_id),
            },
        )

    @post("/structures/{structure_id:int}/reglages", status_code=303)
    async def configure(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        form = await request.form()
        desk.configure(access, structure_id, dict(form))
        return Redirect(f"/accueil/structures/{structure_id}/reglages", status_code=303)

    @get("/structures/{structure_id:int}/convocations", name="kiosk-convocations")
    async def convocations(
        self,
        access: Access,
        plugins: Plugins,
        structure_id: Id,
        jour: Annotated[str, QueryParameter()] = "",
    ) -> Template:
        today = clock.today()
        try:
            day = date.fromisoformat(jour) if jour else today
        except ValueError:
            day = today
        return Template(
            "kiosk/convocations.html",
            context={
                "structure": _structure(access, structure_id),
                "day": day,
                "days": [today + timedelta(days=n) for n in range(8)],
                "appointments": desk.appointments_of_day(access, plugins, structure_id, day),
            },
        )

    @get("/convocation/{appointment_id:int}", name="kiosk-convocation")
    async def convocation(
        self, access: Access, plugins: Plugins, settings: AppSettings, appointment_id: Id
    ) -> Template:
        return Template(
            "kiosk/convocation.html",
            context=desk.convocation(access, plugins, appointment_id, settings.secret_key),
        )

    @get("/convocation/{appointment_id:int}/calendrier", name="kiosk-convocation-ics")
    async def convocation_file(
        self, access: Access, plugins: Plugins, settings: AppSettings, appointment_id: Id
    ) -> Response:
        found = desk.convocation(access, plugins, appointment_id, settings.secret_key)
        return Response(
            content=convocation_ics(found),
            media_type="text/calendar",
            headers={"Content-Disposition": 'attachment; filename="convocation.ics"'},
        )
