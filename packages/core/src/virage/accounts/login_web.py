"""The log-in pages: password, then the second factor (or its enrolment), then the session.

``POST /connexion`` checks the password (throttled: :mod:`virage.accounts.throttle`). An account
that must give a second factor gets a short log-in step instead of a session
(:mod:`virage.accounts.login_steps`) and goes to ``/connexion/second-facteur``: a code from its
app, a recovery code, or its security key; an account that must have one and has none enrols it
there, and can do nothing else before. Then the session opens, and the first-use notice comes
first when it is due (:mod:`virage.accounts.notice`).
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter, URLEncodedBody
from litestar.response import Redirect, Response, Template
from pydantic import BaseModel, Field

from virage.accounts import (
    addresses,
    login_steps,
    notice,
    second_factor,
    security_keys,
    service,
    throttle,
)
from virage.accounts.auth import SESSION_COOKIE
from virage.accounts.display import HELPERS
from virage.accounts.login_options import collect as login_options
from virage.accounts.session_cookies import _cookie, with_session
from virage.db import utcnow
from virage.deps import DB, AppSettings, Permissions
from virage.errors import InvalidInput, NotAuthenticated, TooManyRequests

SECOND_STEP = "/connexion/second-facteur"


def safe_next(target: str | None) -> str:
    """Only local paths: never redirect to another site after log-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"  # the home by role (virage.accounts.home)


# Why the log-in page is shown: fixed sentences chosen by a code, never text from the address bar
# (a link could otherwise make Virage's own page display a phishing message).
LOGIN_REASONS = {
    "connexion-requise": "Connectez-vous pour accéder à cette page.",
    "expiree": "Votre session a expiré : reconnectez-vous.",
    "deconnecte": "Vous êtes déconnecté·e.",
    "etape-expiree": (
        "Le délai pour donner votre second facteur est dépassé (10 minutes) : reconnectez-vous."
    ),
    "trop-d-essais": (
        "Trop de codes erronés : par sécurité, reconnectez-vous avec votre mot de passe."
    ),
}
WRONG = {
    "application": (
        "Ce code n'est pas le bon, ou il a déjà servi. Vérifiez que l'heure de votre téléphone est "
        "juste, attendez le code suivant et réessayez."
    ),
    "secours": (
        "Ce code de secours n'est pas valable : il est faux, ou il a déjà servi (chaque code ne "
        "sert qu'une fois)."
    ),
    "cle": "La clé de sécurité n'a pas été reconnue : réessayez, ou utilisez un code.",
}
METHODS = tuple(WRONG)


class LoginForm(BaseModel):
    username: str = Field(default="", max_length=150)
    password: str = Field(default="", max_length=500)
    suivant: str | None = None


class SecondStepForm(BaseModel):
    methode: str = Field(default="application", max_length=20)
    code: str = Field(default="", max_length=100)
    credential: str = Field(default="", max_length=security_keys.MAX_CREDENTIAL_CHARS)
    name: str = Field(default="", max_length=200)


def _login_page(request, suivant: str, message: str | None, status: int, headers=None):
    response = Template(
        "accounts/login.html",
        context={
            "suivant": safe_next(suivant),
            "erreur": message,
            "login_options": login_options(request),
        },
        status_code=status,
        headers=headers,
    )
    response.delete_cookie(login_steps.STEP_COOKIE, path=login_steps.STEP_COOKIE_PATH)
    return response


class SessionPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/connexion", name="login")
    async def login_page(
        self,
        request: Request,
        suivant: Annotated[str | None, QueryParameter()] = None,
        motif: Annotated[str | None, QueryParameter()] = None,
    ) -> Template:
        return Template(
            "accounts/login.html",
            context={
                "suivant": safe_next(suivant),
                "motif": LOGIN_REASONS.get(motif or ""),
                "login_options": login_options(request),
            },
        )

    @post("/connexion", status_code=303)
    async def login(
        self,
        request: Request,
        db: DB,
        settings: AppSettings,
        registry: Permissions,
        data: URLEncodedBody[LoginForm],
    ) -> Response:
        client = addresses.resolve(request.scope, settings)

        def second_step(user: dict) -> bool:
            return second_factor.need(db, registry, user, client.address).second_step

        try:
            result = await service.alogin(
                db,
                data.username,
                data.password,
                second_step=second_step,
                client=client.address,
                device=request.cookies.get(throttle.DEVICE_COOKIE),
                route="POST /connexion",
            )
        except (NotAuthenticated, TooManyRequests) as exc:
            retry_after = getattr(exc, "retry_after", None)
            return Template(
                "accounts/login.html",
                context={
                    "suivant": safe_next(data.suivant),
                    "erreur": exc.message,
                    "username": data.username,
                    "login_options": login_options(request),
                },
                status_code=exc.status_code,
                headers={"Retry-After": str(retry_after)} if retry_after else None,
            )
        if isinstance(result, service.SecondStepNeeded):
            token = login_steps.start(db, result.user, safe_next(data.suivant), utcnow())
            response = Redirect(SECOND_STEP, status_code=303)
            response.set_cookie(
                login_steps.STEP_COOKIE,
                token,
                max_age=int(login_steps.LIFETIME.total_seconds()),
                **{**_cookie(client.https, login_steps.STEP_COOKIE_PATH), "samesite": "strict"},
            )
            return response
        target = notice.after_login(db, result.actor.user_id, safe_next(data.suivant))
        return with_session(Redirect(target, status_code=303), result, client.https, db, request)

    @post("/deconnexion", status_code=303)
    async def logout(self, request: Request, db: DB) -> Response:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            service.logout(db, token)
        login_steps.cancel(db, request.cookies.get(login_steps.STEP_COOKIE))
        response = Redirect(
            "/connexion?motif=deconnecte",
            status_code=303,
            # Browsers that honour it wipe the site's storage and cache (the page did it first).
            headers={"Clear-Site-Data": '"cache", "storage"'},
        )
        response.delete_cookie(SESSION_COOKIE, path="/")
        response.delete_cookie(login_steps.STEP_COOKIE, path=login_steps.STEP_COOKIE_PATH)
        return response


class SecondStepPages(Controller):
    """``/connexion/second-facteur``: the half-logged-in browser gives (or enrols) its factor."""

    path = SECOND_STEP
    include_in_schema = False

    def _context(self, request: Request, settings, db, step: login_steps.Step, registry) -> dict:
        client = addresses.resolve(request.scope, settings)
        rp = security_keys.relying_party(request.headers.get("host"), client.https)
        state = second_factor.status(db, step.user["id"])
        context = {**HELPERS, "user": step.user, "status": state, "mode": "connexion"}
        now = utcnow()
        if state.enrolled:
            context["key_options"] = (
                security_keys.authentication_options(db, step.user, rp, step.owner, now)
                if rp
                else None
            )
        else:
            context["enrolment"] = second_factor.pending_app(db, step.user, step.owner, now)
            context["reasons"] = second_factor.required_reasons(
                db, registry, step.user, client.address
            )
            context["key_options"] = (
                security_keys.registration_options(db, step.user, rp, step.owner, now)
                if rp
                else None
            )
            context["actions"] = {"app": f"{SECOND_STEP}/application", "key": f"{SECOND_STEP}/cle"}
        return context

    def _page(self, request, settings, db, step, registry, error=None, status=200, headers=None):
        context = self._context(request, settings, db, step, registry)
        context["erreur"] = error
        template = (
            "accounts/second_step.html"
            if context["status"].enrolled
            else "accounts/second_factor_setup.html"
        )
        return Template(template, context=context, status_code=status, headers=headers)

    def _step(self, request: Request, db) -> login_steps.Step | None:
        return login_steps.load(db, request.cookies.get(login_steps.STEP_COOKIE), utcnow())

    @get("/", name="second-step")
    async def page(
        self, request: Request, db: DB, settings: AppSettings, registry: Permissions
    ) -> Response:
        step = self._step(request, db)
        if step is None:
            return Redirect("/connexion?motif=etape-expiree", status_code=303)
        return self._page(request, settings, db, step, registry)

    def _begin(self, request, settings, db, step):
        client = addresses.resolve(request.scope, settings)
        device = request.cookies.get(throttle.DEVICE_COOKIE)
        return client, login_steps.begin_attempt(db, step, client.address, device, utcnow())

    def _refused(self, request, settings, db, step, registry, exc: TooManyRequests):
        retry = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry)} if retry else None
        return self._page(request, settings, db, step, registry, exc.message, 429, headers)

    @post("/", status_code=303)
    async def verify(
        self,
        request: Request,
        db: DB,
        settings: AppSettings,
        registry: Permissions,
        data: URLEncodedBody[SecondStepForm],
    ) -> Response:
        step = self._step(request, db)
        if step is None:
            return Redirect("/connexion?motif=etape-expiree", status_code=303)
        method = data.methode if data.methode in METHODS else "application"
        try:
            client, attempt = self._begin(request, settings, db, step)
        except TooManyRequests as exc:
            return self._refused(request, settings, db, step, registry, exc)
        now, route = utcnow(), "POST " + SECOND_STEP
        remaining = None
        if method == "application":
            ok = second_factor.verify_app(db, step.user["id"], data.code, now)
        elif method == "secours":
            remaining = second_factor.use_recovery_code(db, step.user["id"], data.code, now)
            ok = remaining is not None
        else:
            rp = security_keys.relying_party(request.headers.get("host"), client.https)
            key = rp and security_keys.authenticate(
                db, step.user, rp, step.owner, data.credential, now
            )
            ok = bool(key)
        if not ok:
            if not login_steps.failed(db, step, attempt, method, route=route, now=now):
                return _login_page(request, step.next, LOGIN_REASONS["trop-d-essais"], 401)
            return self._page(request, settings, db, step, registry, WRONG[method], 401)
        if method == "secours":
            event, details = "accounts.second_factor.recovery_used", {"restants": remaining}
        else:
            event, details = "accounts.second_factor.used", {}
        details = {"methode": method, **details}
        result = login_steps.succeeded(
            db, step, attempt, event=event, details=details, route=route, now=now
        )
        target = notice.after_login(db, step.user["id"], step.next)
        if method == "secours":
            page = Template(
                "accounts/recovery_used.html",
                context={**HELPERS, "remaining": remaining, "suivant": target},
            )
            return with_session(page, result, client.https, db, request)
        return with_session(Redirect(target, status_code=303), result, client.https, db, request)

    async def _enrol(self, request, db, settings, registry, data, method: str) -> Response:
        step = self._step(request, db)
        if step is None:
            return Redirect("/connexion?motif=etape-expiree", status_code=303)
        if second_factor.status(db, step.user["id"]).enrolled:
            return Redirect(SECOND_STEP, status_code=303)
        try:
            client, attempt = self._begin(request, settings, db, step)
        except TooManyRequests as exc:
            return self._refused(request, settings, db, step, registry, exc)
        now, route = (
            utcnow(),
            f"POST {SECOND_STEP}/{'application' if method == 'application' else 'cle'}",
        )
        error = None
        if method == "application":
            if not second_factor.confirm_app(db, step.user["id"], step.owner, data.code, now):
                error = WRONG["application"]
        else:
            rp = security_keys.relying_party(request.headers.get("host"), client.https)
            try:
                if rp is None:
                    raise InvalidInput(security_keys.NOT_REGISTERED)
                security_keys.register(
                    db, step.user, rp, step.owner, data.credential, data.name, now
                )
            except InvalidInput as exc:
                error = exc.message
        if error:
            alive = login_steps.failed(
                db, step, attempt, method, route=route, now=now, counted=False
            )
            if not alive:
                return _login_page(request, step.next, LOGIN_REASONS["trop-d-essais"], 401)
            return self._page(request, settings, db, step, registry, error, 400)
        codes = second_factor.new_recovery_codes(db, step.user["id"], now)
        result = login_steps.succeeded(
            db,
            step,
            attempt,
            event="accounts.second_factor.enrolled",
            details={"methode": method, "codes_de_secours": len(codes)},
            route=route,
            now=now,
        )
        page = Template(
            "accounts/recovery_codes.html",
            context={
                **HELPERS,
                "codes": codes,
                "first": True,
                "suivant": notice.after_login(db, step.user["id"], step.next),
            },
        )
        return with_session(page, result, client.https, db, request)

    @post("/application", status_code=200)
    async def enrol_app(
        self,
        request: Request,
        db: DB,
        settings: AppSettings,
        registry: Permissions,
        data: URLEncodedBody[SecondStepForm],
    ) -> Response:
        return await self._enrol(request, db, settings, registry, data, "application")

    @post("/cle", status_code=200)
    async def enrol_key(
        self,
        request: Request,
        db: DB,
        settings: AppSettings,
        registry: Permissions,
        data: URLEncodedBody[SecondStepForm],
    ) -> Response:
        return await self._enrol(request, db, settings, registry, data, "cle")
