"""The after-fall and quality pages: who occupies which room (direction, coordination), the
fall's transmission for the care team, the fall register (and its CSV) and the figures.

No page here shows who took or closed an alert: the register and the figures are per unit and
for the night team as a whole.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from virage.sdk import Access, Plugins, day_text, require_actor_guard
from virage_alerts import aftercare, quality, rooms
from virage_alerts.web import _structure

Id = FromPath[int]
Day = Annotated[str | None, QueryParameter(max_length=10)]


class QualityPages(Controller):
    path = "/alertes/structures/{structure_id:int}"
    guards = [require_actor_guard]
    include_in_schema = False

    @get("/chambres", name="alerts-rooms")
    async def rooms_page(self, access: Access, structure_id: Id) -> Template:
        return Template(
            "alerts/rooms.html",
            context={
                "structure": _structure(access, structure_id),
                **rooms.listing(access, structure_id),
            },
        )

    @post("/chambres", status_code=303)
    async def assign(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        form = await request.form()
        rooms.assign(access, structure_id, str(form.get("room", ""))[:12], form.get("person", ""))
        return Redirect(f"/alertes/structures/{structure_id}/chambres", status_code=303)

    @get("/alertes/{alert_id:int}/apres-la-chute", name="alerts-after-fall")
    async def after_fall(self, access: Access, structure_id: Id, alert_id: Id) -> Template:
        return Template(
            "alerts/after_fall.html",
            context={
                "structure": _structure(access, structure_id),
                **aftercare.form(access, structure_id, alert_id),
            },
        )

    @post("/alertes/{alert_id:int}/apres-la-chute", status_code=303)
    async def write_fall(
        self, request: Request, access: Access, plugins: Plugins, structure_id: Id, alert_id: Id
    ) -> Redirect:
        form = await request.form()
        person_id = aftercare.write(access, plugins, structure_id, alert_id, form)
        return Redirect(f"/personnes/{person_id}", status_code=303)

    @get("/registre", name="alerts-register")
    async def register_page(
        self, access: Access, structure_id: Id, du: Day = None, au: Day = None
    ) -> Template:
        start, end = quality.period(du, au)
        rows = quality.register(access, structure_id, start, end, "alerts.register.read")
        return Template(
            "alerts/register.html",
            context={
                "structure": _structure(access, structure_id),
                "rows": rows,
                **_period(start, end),
            },
        )

    @get("/registre.csv", name="alerts-register-csv")
    async def register_csv(
        self, access: Access, structure_id: Id, du: Day = None, au: Day = None
    ) -> Response:
        start, end = quality.period(du, au)
        rows = quality.register(access, structure_id, start, end, "alerts.register.export")
        name = f"registre-des-chutes-{start.isoformat()}-{end.isoformat()}.csv"
        return Response(
            quality.register_csv(rows),
            media_type="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
            },
        )

    @get("/chiffres", name="alerts-figures")
    async def figures_page(
        self, access: Access, structure_id: Id, du: Day = None, au: Day = None
    ) -> Template:
        start, end = quality.period(du, au)
        return Template(
            "alerts/figures.html",
            context={
                "structure": _structure(access, structure_id),
                **quality.figures(access, structure_id, start, end),
                **_period(start, end),
            },
        )


def _period(start, end) -> dict:
    return {
        "du": start.isoformat(),
        "au": end.isoformat(),
        "period_text": f"du {day_text(start)} au {day_text(end)}",
    }
