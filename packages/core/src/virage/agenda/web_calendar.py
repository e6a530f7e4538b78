"""Pages of calendars: ``.ics`` import, the calendar privacy setting, the subscription
(``/agenda/abonnement``) and the feed itself (``/agenda/flux/<secret>.ics``)."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from virage.access import ROLES
from virage.accounts.auth import require_actor_guard
from virage.agenda import ical, importing, service
from virage.agenda.kinds import registry as kinds_registry
from virage.agenda.web_forms import (
    Id,
    form_ints,
    read_form,
    structure_or_404,
)
from virage.deps import DB, Access, Permissions, Plugins
from virage.errors import InvalidInput


class AgendaCalendarPages(Controller):
    """Import, calendar settings and the subscription page."""

    path = "/agenda"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/structures/{structure_id:int}/import", name="agenda-import")
    async def import_page(self, access: Access, plugins: Plugins, structure_id: Id) -> Template:
        structure = structure_or_404(access, structure_id)
        access.require("agenda.import", structure_id=structure_id, action="agenda.import.form")
        return Template("agenda/import.html", context=_import_context(access, plugins, structure))

    @post("/structures/{structure_id:int}/import", status_code=200)
    async def import_file(
        self, request: Request, access: Access, plugins: Plugins, structure_id: Id
    ) -> Template:
        structure = structure_or_404(access, structure_id)
        form = await read_form(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("Choisissez un fichier .ics à importer.")
        content = await upload.read()
        report = await importing.import_calendar_async(
            access,
            plugins,
            structure_id,
            content,
            professional_ids=form_ints(form.getall("professional_ids", [])),
            kind=form.get("kind", "meeting"),
            dry_run=form.get("dry_run") == "1",
            force=form.get("force") == "1",
        )
        context = _import_context(access, plugins, structure)
        context["report"] = report
        return Template("agenda/import.html", context=context)

    @post("/structures/{structure_id:int}/reglages", status_code=303)
    async def settings(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        form = await read_form(request)
        service.set_calendar_privacy(access, structure_id, form.get("calendar_privacy", ""))
        return Redirect("/agenda?ok=reglages", status_code=303)

    @get("/abonnement", name="agenda-feed")
    async def feed_page(self, access: Access) -> Template:
        feeds = ical.my_feeds(access)
        return Template(
            "agenda/feed.html",
            context={"active": [f for f in feeds if not f["revoked_at"]], "url": None},
        )

    @post("/abonnement", status_code=200)
    async def create_feed(self, request: Request, access: Access) -> Template:
        secret = ical.create_feed(access)
        base = str(request.base_url).rstrip("/")
        feeds = ical.my_feeds(access)
        return Template(
            "agenda/feed.html",
            context={
                "active": [f for f in feeds if not f["revoked_at"]],
                "url": f"{base}/agenda/flux/{secret}.ics",
                "webcal": f"webcal://{base.split('://', 1)[1]}/agenda/flux/{secret}.ics",
            },
        )

    @post("/abonnement/revoquer", status_code=303)
    async def revoke_feed(self, access: Access) -> Redirect:
        ical.revoke_feed(access)
        return Redirect("/agenda/abonnement", status_code=303)


class FeedEndpoint(Controller):
    """The subscription feed: no session (calendar apps have none), the secret is the key."""

    path = "/agenda/flux"
    include_in_schema = False

    @get("/{secret:str}", name="agenda-feed-ics", cache=False)
    async def feed(
        self,
        request: Request,
        db: DB,
        plugins: Plugins,
        registry: Permissions,
        secret: FromPath[str],
    ) -> Response:
        body = ical.feed_calendar(
            db,
            plugins,
            registry,
            secret,
            base_url=str(request.base_url).rstrip("/"),
            route="GET /agenda/flux/…",
        )
        return Response(
            body,
            media_type="text/calendar",  # Litestar adds "; charset=utf-8" to text/* types
            headers={
                "Content-Disposition": 'inline; filename="virage-agenda.ics"',
                "Cache-Control": "private, no-store",
            },
        )


def _import_context(access, plugins, structure: dict) -> dict:
    kinds = [k for k in kinds_registry(plugins).values() if k.person != "required"]
    return {
        "structure": structure,
        "kinds": kinds,
        "members": service.professionals_for(access, structure["id"]),
        "can_force": access.allowed("agenda.force", structure_id=structure["id"]),
        "report": None,
        "roles": ROLES,
    }
