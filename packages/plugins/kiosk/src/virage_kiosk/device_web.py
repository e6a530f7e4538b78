"""The pages of the kiosk and of the waiting-room screen (``/borne/...``), opened by the
device's own credential (cookie ``virage_borne``), never by a worker's session.

One question per screen, large text, high contrast, French or English (``?langue=en``), usable
by keyboard and screen reader. Nothing personal is ever shown: a ticket number and where to go.
A short script (``kiosk/_kiosk.html``) checks the server answers before sending a form, and says
« Présentez-vous à l'accueil » instead of an error when it does not.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from virage.sdk import Access, AppSettings, InvalidInput, VirageError
from virage.sdk.devices import acting_for_structure
from virage_kiosk import arrivals, clock, devices, storage
from virage_kiosk.texts import ENGLISH_ERRORS, ENGLISH_FALLBACK, lang_of, texts

Lang = Annotated[str, QueryParameter()]
BASE = "/borne"


def _page(name: str, lang: str, status_code: int = 200, **context) -> Template:
    lang = lang_of(lang)
    return Template(
        f"kiosk/{name}.html",
        context={"t": texts(lang), "lang": lang, **context},
        status_code=status_code,
    )


def _problem(exc: VirageError, lang: str) -> Template:
    message = ENGLISH_ERRORS.get(exc.message, ENGLISH_FALLBACK) if lang == "en" else exc.message
    return _page("message", lang, status_code=exc.status_code, message=message)


def _open_now(settings: dict) -> bool:
    hhmm = clock.now().astimezone(clock.PARIS).strftime("%H:%M")
    return settings["opens"] <= hhmm < settings["closes"]


class KioskPages(Controller):
    path = BASE
    include_in_schema = False

    def _device(self, request: Request, access) -> dict:
        return devices.authenticate(access.db, request.cookies.get(devices.COOKIE))

    async def _run(self, request: Request, access, lang: str, action, *, use: bool = True):
        """Authenticate the device, act for its structure only, turn refusals into a kiosk page."""
        lang = lang_of(lang)
        try:
            device = self._device(request, access)
        except devices.DeviceUnknown:
            return Redirect(f"{BASE}/activer", status_code=303)
        with acting_for_structure(device["structure_id"]):
            try:
                if use:
                    devices.count_use(access.db, device)
                    if not _open_now(storage.settings(access.db, device["structure_id"])):
                        raise InvalidInput("L'accueil est fermé. Revenez aux heures d'ouverture.")
                return action(device, lang)
            except VirageError as exc:
                return _problem(exc, lang)

    @get("/ping", name="kiosk-ping")
    async def ping(self) -> Response:
        return Response(content=b"", status_code=204)

    @get("/activer", name="kiosk-activate")
    async def activate_form(self) -> Template:
        return _page("activate", "fr")

    @post("/activer", status_code=303)
    async def activate(self, request: Request, access: Access) -> Response:
        form = await request.form()
        secret = (form.get("code") or "").strip()
        try:
            device = devices.authenticate(access.db, secret)
        except devices.DeviceUnknown:
            return _page(
                "activate",
                "fr",
                status_code=400,
                error="Ce code d'activation n'est pas reconnu (ou l'appareil a été révoqué). "
                "Demandez un nouveau code à la direction.",
            )
        with acting_for_structure(device["structure_id"]):
            devices.record(access.db, device, "kiosk.device.activated")
        target = f"{BASE}/ecran" if device["kind"] == "screen" else f"{BASE}/"
        response = Redirect(target, status_code=303)
        response.set_cookie(
            devices.COOKIE,
            secret,
            max_age=400 * 24 * 3600,
            path=BASE,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    @get("/", name="kiosk-home")
    async def home(self, request: Request, access: Access, langue: Lang = "fr") -> Response:
        def action(device, lang):
            settings = storage.settings(access.db, device["structure_id"])
            return _page(
                "home",
                lang,
                open=_open_now(settings),
                settings=settings,
                welcome=settings["welcome_en" if lang == "en" else "welcome_fr"],
            )

        return await self._run(request, access, langue, action, use=False)

    @get("/convocation", name="kiosk-scan")
    async def scan_form(self, request: Request, access: Access, langue: Lang = "fr") -> Response:
        return await self._run(
            request, access, langue, lambda d, lang: _page("scan", lang), use=False
        )

    @post("/convocation", status_code=303)
    async def scan(self, request: Request, access: Access, settings: AppSettings) -> Response:
        form = await request.form()

        def action(device, lang):
            ticket = arrivals.with_token(
                access.db, device, settings.secret_key, form.get("token", "")
            )
            return Redirect(f"{BASE}/ticket/{ticket['id']}?langue={lang}", status_code=303)

        return await self._run(request, access, form.get("langue", "fr"), action)

    @get("/code", name="kiosk-code")
    async def code_form(self, request: Request, access: Access, langue: Lang = "fr") -> Response:
        return await self._run(
            request, access, langue, lambda d, lang: _page("code", lang), use=False
        )

    @post("/code", status_code=200)
    async def code(self, request: Request, access: Access) -> Response:
        """Second screen: the birth date, the code kept in the form (nothing looked up yet)."""
        form = await request.form()
        code = (form.get("code") or "").strip()[:20]

        def action(device, lang):
            if not code:
                raise InvalidInput("Écrivez le code de votre convocation.")
            return _page("birth", lang, code=code)

        return await self._run(request, access, form.get("langue", "fr"), action)

    @post("/naissance", status_code=303)
    async def birth(self, request: Request, access: Access) -> Response:
        form = await request.form()

        def action(device, lang):
            try:
                birth = "{:04d}-{:02d}-{:02d}".format(
                    int(form.get("annee", "")), int(form.get("mois", "")), int(form.get("jour", ""))
                )
            except ValueError:
                raise InvalidInput(
                    "Date de naissance : écrivez le jour, le mois et l'année en chiffres."
                ) from None
            ticket = arrivals.with_code(access.db, device, form.get("code", ""), birth)
            return Redirect(f"{BASE}/ticket/{ticket['id']}?langue={lang}", status_code=303)

        return await self._run(request, access, form.get("langue", "fr"), action)

    @get("/sans-rendez-vous", name="kiosk-services")
    async def services(self, request: Request, access: Access, langue: Lang = "fr") -> Response:
        def action(device, lang):
            rows = storage.services(access.db, device["structure_id"])
            return _page("services", lang, services=rows)

        return await self._run(request, access, langue, action, use=False)

    @post("/sans-rendez-vous", status_code=303)
    async def walk_in(self, request: Request, access: Access) -> Response:
        form = await request.form()

        def action(device, lang):
            try:
                service_id = int(form.get("service", ""))
            except ValueError:
                raise InvalidInput("Choisissez un service dans la liste.") from None
            ticket = arrivals.walk_in(access.db, device, service_id)
            return Redirect(f"{BASE}/ticket/{ticket['id']}?langue={lang}", status_code=303)

        return await self._run(request, access, form.get("langue", "fr"), action)

    @get("/ticket/{ticket_id:int}", name="kiosk-ticket")
    async def ticket(
        self, request: Request, access: Access, ticket_id: FromPath[int], langue: Lang = "fr"
    ) -> Response:
        def action(device, lang):
            return _page("ticket", lang, ticket=arrivals.shown(access.db, device, ticket_id))

        return await self._run(request, access, langue, action, use=False)

    @get("/ecran", name="kiosk-screen")
    async def screen(self, request: Request, access: Access, langue: Lang = "fr") -> Response:
        def action(device, lang):
            return _page("screen", lang, called=arrivals.screen(access.db, device))

        return await self._run(request, access, langue, action, use=False)
