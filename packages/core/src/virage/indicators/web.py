"""Pages of the indicators (``/indicateurs/…``): the dashboards of a structure and of the
network, the sas of exports (prepare, review, approve, download) and what was sent."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from virage.accounts import lookups
from virage.accounts.auth import require_actor_guard
from virage.deps import Access
from virage.errors import InvalidInput
from virage.indicators import dashboard, formats, sas, service
from virage.indicators.model import period_text

Id = FromPath[int]
Month = Annotated[str, QueryParameter(max_length=10)]


def _closed_quarters(count: int = 4) -> list[tuple[str, str]]:
    today = service.default_months(1)[0]
    year, quarter = int(today[:4]), (int(today[5:7]) - 1) // 3 + 1
    out = []
    for _ in range(count):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        code = f"{year}-T{quarter}"
        out.append((code, period_text(code)))
    return out


class IndicatorPages(Controller):
    path = "/indicateurs"
    guards = [require_actor_guard]
    include_in_schema = False

    @get("/", name="indicators-home")
    async def home(self, access: Access) -> Template:
        actor = access.require_login()
        rows = []
        for sid in actor.structure_ids:
            flags = {
                "read": access.allowed("indicators.read", structure_id=sid),
                "sas": access.allowed("indicators.export.review", structure_id=sid),
                "sent": access.allowed("indicators.sent.read", structure_id=sid),
            }
            if any(flags.values()):
                found = lookups.structure(access.db, sid) or {"name": ""}
                rows.append({"id": sid, "name": found["name"], **flags})
        return Template(
            "indicators/home.html",
            context={"structures": rows, "network": access.allowed("indicators.network")},
        )

    @get("/structures/{structure_id:int}", name="indicators-structure")
    async def structure(
        self, access: Access, structure_id: Id, debut: Month = "", fin: Month = ""
    ) -> Template:
        months = dashboard.months_from(debut, fin)
        page = dashboard.structure_page(access, structure_id, months)
        return Template("indicators/dashboard.html", context=page)

    @post("/structures/{structure_id:int}/recalculer", status_code=303)
    async def recompute(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        access.require("indicators.read", structure_id=structure_id)
        form = await request.form()
        months = dashboard.months_from(
            str(form.get("debut", ""))[:10], str(form.get("fin", ""))[:10]
        )
        service.refresh(access.db, access.plugins, structure_id, months, everything=True)
        return Redirect(
            f"/indicateurs/structures/{structure_id}?debut={months[0]}&fin={months[-1]}",
            status_code=303,
        )

    @get("/reseau", name="indicators-network")
    async def network(self, access: Access, debut: Month = "", fin: Month = "") -> Template:
        months = dashboard.months_from(debut, fin)
        return Template("indicators/network.html", context=dashboard.network_page(access, months))

    @post("/reseau/seuil", status_code=303)
    async def threshold(self, request: Request, access: Access) -> Redirect:
        access.require("indicators.network")
        form = await request.form()
        before = service.threshold(access.db)
        after = service.set_threshold(access.db, str(form.get("seuil", ""))[:4])
        access.audit("indicators.threshold.changed", details={"avant": before, "après": after})
        return Redirect("/indicateurs/reseau", status_code=303)

    @get("/structures/{structure_id:int}/envois", name="indicators-sent")
    async def sent(self, access: Access, structure_id: Id) -> Template:
        rows = sas.sent(access, structure_id)
        found = lookups.structure(access.db, structure_id) or {"name": ""}
        return Template(
            "indicators/sent.html",
            context={"structure": {"id": structure_id, "name": found["name"]}, "exports": rows},
        )


class SasPages(Controller):
    path = "/indicateurs"
    guards = [require_actor_guard]
    include_in_schema = False

    @get("/structures/{structure_id:int}/sas", name="indicators-sas")
    async def sas_home(self, access: Access, structure_id: Id) -> Template:
        exports = sas.listing(access, structure_id)
        found = lookups.structure(access.db, structure_id) or {"name": ""}
        return Template(
            "indicators/sas.html",
            context={
                "structure": {"id": structure_id, "name": found["name"]},
                "exports": [{**e, "period_label": period_text(e["period"])} for e in exports],
                "quarters": _closed_quarters(),
                "can_prepare": access.allowed(
                    "indicators.export.prepare", structure_id=structure_id
                ),
            },
        )

    @post("/structures/{structure_id:int}/sas", status_code=303)
    async def prepare(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        form = await request.form()
        export_id = sas.prepare(access, structure_id, str(form.get("periode", ""))[:10])
        return Redirect(f"/indicateurs/sas/{export_id}", status_code=303)

    @get("/sas/{export_id:int}", name="indicators-export")
    async def review(self, access: Access, export_id: Id) -> Template:
        row = sas.get(access, export_id)
        panels = dashboard.export_panels(row["content"], access.plugins)
        return Template("indicators/export.html", context={"export": row, "panels": panels})

    @post("/sas/{export_id:int}/approuver", status_code=303)
    async def approve(self, access: Access, export_id: Id) -> Redirect:
        sas.approve(access, export_id)
        return Redirect(f"/indicateurs/sas/{export_id}", status_code=303)

    @get("/sas/{export_id:int}/telecharger", name="indicators-download")
    async def download(
        self, access: Access, export_id: Id, format: Annotated[str, QueryParameter()] = "csv"
    ) -> Response:
        if format not in formats.FORMATS:
            raise InvalidInput("Format : csv, json ou fhir.")
        row = sas.for_download(access, export_id, format)
        media_type, suffix = formats.FORMATS[format]
        name = f"indicateurs-{row['structure_id']}-{row['period']}.{suffix}"
        return Response(
            formats.render(row["content"], format),
            media_type=media_type,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
