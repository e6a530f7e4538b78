"""Administration of accounts (``/administration/comptes``): the network administration for every
account, a director for the accounts of the structures she directs (see
:mod:`virage.accounts.lifecycle_access`). Plain forms protected by CSRF, like every page."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template
from pydantic import BaseModel, Field

from virage.access import NETWORK_ADMIN_LABEL, ROLES
from virage.accounts import lifecycle, lifecycle_csv, links
from virage.accounts.auth import require_actor_guard
from virage.accounts.display import HELPERS
from virage.accounts.lifecycle_access import manager_for
from virage.deps import Access, AppSettings
from virage.errors import Conflict, InvalidInput

BASE = "/administration/comptes"
Id = FromPath[int]
STATES = {"actifs": "Actifs", "inactifs": "Désactivés", "tous": "Tous"}
DONE = {
    "desactive": "Compte désactivé : ses sessions sont fermées et ses jetons d'API révoqués.",
    "reactive": "Compte réactivé : la personne peut se reconnecter avec son mot de passe.",
    "ajoute": "Compte ajouté à la structure.",
    "role": "Rôle changé.",
    "retire": "Compte retiré de la structure.",
    "reseau": "Administration du réseau mise à jour.",
}


class InviteForm(BaseModel):
    username: str = Field(default="", max_length=100)
    display_name: str = Field(default="", max_length=150)
    email: str = Field(default="", max_length=200)
    profession: str = Field(default="", max_length=100)
    rpps: str = Field(default="", max_length=20)
    structure_id: str = Field(default="", max_length=20)
    role: str = Field(default="", max_length=30)


class RoleForm(BaseModel):
    structure_id: str = Field(default="", max_length=20)
    role: str = Field(default="", max_length=30)


class FlagForm(BaseModel):
    accorder: str = Field(default="", max_length=3)


def base_url(request: Request, settings) -> str:
    """Where links lead: ``VIRAGE_PUBLIC_URL``, else the address this page was opened at."""
    return settings.public_url or str(request.base_url).rstrip("/")


def _int(value: str, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"Choisissez {what} dans la liste.") from None


def _mailto(email: str | None, name: str, url: str, invitation: bool) -> str | None:
    if not email:
        return None
    from urllib.parse import quote

    subject = "Votre compte Virage" if invitation else "Votre nouveau mot de passe Virage"
    body = (
        f"Bonjour {name},\n\nOuvrez ce lien (une seule fois) pour choisir votre mot de passe :\n"
        f"{url}\n"
    )
    return f"mailto:{quote(email)}?subject={quote(subject)}&body={quote(body)}"


class AccountAdminPages(Controller):
    path = BASE
    include_in_schema = False
    guards = [require_actor_guard]

    def _form_context(self, manager) -> dict:
        return {"structures": lifecycle.structures_for(manager), "roles": ROLES, **HELPERS}

    @get("/", name="accounts-admin")
    async def index(
        self,
        access: Access,
        structure: Annotated[int | None, QueryParameter()] = None,
        role: Annotated[str | None, QueryParameter(max_length=30)] = None,
        etat: Annotated[str, QueryParameter(max_length=10)] = "actifs",
        q: Annotated[str | None, QueryParameter(max_length=100)] = None,
    ) -> Template:
        manager = manager_for(access)
        state = etat if etat in STATES else "actifs"
        rows = lifecycle.list_accounts(
            manager, structure_id=structure, role=role, state=state, search=q
        )
        return Template(
            "accounts/admin_accounts.html",
            context={
                **self._form_context(manager),
                "accounts": rows,
                "filters": {
                    "structure": structure,
                    "role": role or "",
                    "etat": state,
                    "q": q or "",
                },
                "states": STATES,
                "network": manager.network,
                "network_label": NETWORK_ADMIN_LABEL,
            },
        )

    @get("/inviter", name="accounts-invite")
    async def invite_page(self, access: Access) -> Template:
        manager = manager_for(access)
        return Template("accounts/admin_invite.html", context=self._form_context(manager))

    @post("/inviter", status_code=200)
    async def invite(
        self,
        request: Request,
        access: Access,
        settings: AppSettings,
        data: URLEncodedBody[InviteForm],
    ) -> Template:
        manager = manager_for(access)
        context = self._form_context(manager)
        try:
            invitation = lifecycle.invite(
                manager,
                username=data.username,
                display_name=data.display_name,
                structure_id=_int(data.structure_id, "une structure"),
                role=data.role,
                email=data.email,
                profession=data.profession,
                rpps=data.rpps,
            )
        except (InvalidInput, Conflict) as exc:
            return Template(
                "accounts/admin_invite.html",
                context={**context, "erreur": exc.message, "form": data.model_dump()},
                status_code=400,
            )
        url = links.url(base_url(request, settings), invitation.path)
        return Template(
            "accounts/admin_link.html",
            context={
                **HELPERS,
                "user_id": invitation.user_id,
                "name": " ".join(data.display_name.split()),
                "url": url,
                "expires_at": invitation.expires_at,
                "invitation": True,
                "mailto": _mailto(data.email.strip(), data.display_name, url, True),
            },
            headers={"Cache-Control": "no-store"},
        )

    @get("/import", name="accounts-import")
    async def import_page(self, access: Access) -> Template:
        manager_for(access)
        return Template(
            "accounts/admin_import.html",
            context={"max_rows": lifecycle_csv.MAX_ROWS, "report": None},
        )

    @post("/import", status_code=200)
    async def import_file(
        self, request: Request, access: Access, settings: AppSettings
    ) -> Template:
        manager = manager_for(access)
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("Choisissez un fichier CSV à importer.")
        content = await upload.read()
        report = lifecycle_csv.import_accounts(manager, content)
        base = base_url(request, settings)
        return Template(
            "accounts/admin_import.html",
            context={
                "max_rows": lifecycle_csv.MAX_ROWS,
                "report": report,
                "urls": {
                    line.number: links.url(base, line.path) for line in report.lines if line.path
                },
            },
            headers={"Cache-Control": "no-store"},
        )

    @get("/{user_id:int}", name="account-admin")
    async def account(
        self,
        access: Access,
        user_id: Id,
        fait: Annotated[str | None, QueryParameter(max_length=20)] = None,
    ) -> Template:
        manager = manager_for(access)
        data = lifecycle.account(manager, user_id)
        return Template(
            "accounts/admin_account.html",
            context={
                **self._form_context(manager),
                **data,
                "network": manager.network,
                "network_label": NETWORK_ADMIN_LABEL,
                "is_self": manager.user_id == user_id,
                "done": DONE.get(fait or ""),
            },
        )

    def _back(self, user_id: int, done: str) -> Redirect:
        return Redirect(f"{BASE}/{user_id}?fait={done}", status_code=303)

    @get("/{user_id:int}/desactiver", name="account-deactivate-confirm")
    async def deactivate_confirm(self, access: Access, user_id: Id) -> Template | Redirect:
        """Say what deactivating does before doing it (no JavaScript needed)."""
        manager = manager_for(access)
        data = lifecycle.account(manager, user_id)
        if not data["user"]["active"] or manager.user_id == user_id:
            return Redirect(f"{BASE}/{user_id}", status_code=303)
        live = [t for t in data["tokens"] if not t["revoked_at"]]
        return Template(
            "accounts/admin_deactivate.html", context={**data, "live_tokens": live, **HELPERS}
        )

    @post("/{user_id:int}/desactiver", status_code=303)
    async def deactivate(self, access: Access, user_id: Id) -> Redirect:
        lifecycle.deactivate(manager_for(access), user_id)
        return self._back(user_id, "desactive")

    @post("/{user_id:int}/reactiver", status_code=303)
    async def reactivate(self, access: Access, user_id: Id) -> Redirect:
        lifecycle.reactivate(manager_for(access), user_id)
        return self._back(user_id, "reactive")

    @post("/{user_id:int}/lien", status_code=200)
    async def reset_link(
        self, request: Request, access: Access, settings: AppSettings, user_id: Id
    ) -> Template:
        manager = manager_for(access)
        link_path, expires_at = lifecycle.reset_link(manager, user_id)
        user = lifecycle.account(manager, user_id)["user"]
        url = links.url(base_url(request, settings), link_path)
        invitation = link_path.startswith(links.PATHS["invitation"])
        return Template(
            "accounts/admin_link.html",
            context={
                **HELPERS,
                "user_id": user_id,
                "name": user["display_name"],
                "url": url,
                "expires_at": expires_at,
                "invitation": invitation,
                "mailto": _mailto(user["email"], user["display_name"], url, invitation),
            },
            headers={"Cache-Control": "no-store"},
        )

    @post("/{user_id:int}/structures", status_code=303)
    async def add_membership(
        self, access: Access, user_id: Id, data: URLEncodedBody[RoleForm]
    ) -> Redirect:
        lifecycle.add_membership(
            manager_for(access), user_id, _int(data.structure_id, "une structure"), data.role
        )
        return self._back(user_id, "ajoute")

    @post("/{user_id:int}/structures/{structure_id:int}/role", status_code=303)
    async def change_role(
        self, access: Access, user_id: Id, structure_id: Id, data: URLEncodedBody[RoleForm]
    ) -> Redirect:
        lifecycle.change_role(manager_for(access), user_id, structure_id, data.role)
        return self._back(user_id, "role")

    @post("/{user_id:int}/structures/{structure_id:int}/retirer", status_code=303)
    async def remove_membership(self, access: Access, user_id: Id, structure_id: Id) -> Redirect:
        lifecycle.remove_membership(manager_for(access), user_id, structure_id)
        return self._back(user_id, "retire")

    @post("/{user_id:int}/administration-reseau", status_code=303)
    async def network_admin(
        self, access: Access, user_id: Id, data: URLEncodedBody[FlagForm]
    ) -> Redirect:
        lifecycle.set_network_admin(manager_for(access), user_id, data.accorder == "oui")
        return self._back(user_id, "reseau")
