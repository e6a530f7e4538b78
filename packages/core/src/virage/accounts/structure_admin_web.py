"""Pages of the administration: ``/administration`` (the index), ``/administration/structures``
(list, create, edit, link to the directory, close, reopen) and the structure page
``/structures/{id}``, which the network administrator sees too (without any person's data)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Response, Template
from pydantic import BaseModel, Field

from virage.access import ROLES
from virage.accounts import structure_admin as admin
from virage.accounts.auth import require_actor_guard
from virage.accounts.display import HELPERS
from virage.deps import Access
from virage.errors import InvalidInput, NotFound

Id = FromPath[int]
NOTES = {
    "cree": "Structure créée.",
    "modifie": "Description enregistrée.",
    "lie": "Structure reliée à sa fiche de l'annuaire.",
    "delie": "Lien avec l'annuaire retiré.",
    "fermee": "Structure fermée : ses membres ne peuvent plus y agir, ses jetons sont révoqués.",
    "rouverte": "Structure rouverte : ses membres y retrouvent leur rôle.",
}


class LinkForm(BaseModel):
    directory_id: str = Field(default="", max_length=20)


def _edit_context(access, structure_id: int, **extra) -> dict:
    who = admin.require_admin(access, structure_id, "structures.admin.read")
    structure = admin.detail(access.db, structure_id)
    return {
        **HELPERS,
        "structure": structure,
        "network": who.network,
        "kinds": admin.KINDS,
        "candidates": [],
        "q": "",
        **extra,
    }


class AdministrationPages(Controller):
    path = "/administration"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="administration")
    async def index(self, access: Access) -> Template:
        structures = admin.list_for(access)
        network = admin.is_network_admin(access)
        return Template(
            "administration/index.html",
            context={
                **HELPERS,
                "structures": structures,
                "network": network,
                "can_import": network and access.allowed("directory.import"),
            },
        )

    @get("/structures", name="admin-structures")
    async def structures(
        self, access: Access, fait: Annotated[str, QueryParameter()] = ""
    ) -> Template:
        return Template(
            "administration/structures.html",
            context={
                **HELPERS,
                "structures": admin.list_for(access),
                "network": admin.is_network_admin(access),
                "kinds": admin.KINDS,
                "form": {},
                "fait": NOTES.get(fait),
            },
        )

    @post("/structures", status_code=303)
    async def create(self, access: Access, data: URLEncodedBody[admin.StructureForm]) -> Response:
        try:
            sid = admin.create(access, data)
        except InvalidInput as exc:
            context = {
                **HELPERS,
                "structures": admin.list_for(access),
                "network": True,
                "kinds": admin.KINDS,
                "form": data.model_dump(),
                "erreur": exc.message,
            }
            return Template("administration/structures.html", context=context, status_code=400)
        return Redirect(f"/administration/structures/{sid}?fait=cree", status_code=303)

    @get("/structures/{structure_id:int}", name="admin-structure")
    async def edit_page(
        self,
        access: Access,
        structure_id: Id,
        q: Annotated[str, QueryParameter(max_length=200)] = "",
        fait: Annotated[str, QueryParameter()] = "",
    ) -> Template:
        context = _edit_context(access, structure_id, q=q, fait=NOTES.get(fait))
        if q:
            context["candidates"] = admin.directory_candidates(access, structure_id, q)
            context["searched"] = True
        return Template("administration/structure.html", context=context)

    @post("/structures/{structure_id:int}", status_code=303)
    async def update(
        self, access: Access, structure_id: Id, data: URLEncodedBody[admin.StructureForm]
    ) -> Response:
        try:
            admin.update(access, structure_id, data)
        except InvalidInput as exc:
            context = _edit_context(access, structure_id, erreur=exc.message, form=data)
            return Template("administration/structure.html", context=context, status_code=400)
        return Redirect(f"/administration/structures/{structure_id}?fait=modifie", status_code=303)

    @post("/structures/{structure_id:int}/annuaire", status_code=303)
    async def link(
        self, access: Access, structure_id: Id, data: URLEncodedBody[LinkForm]
    ) -> Response:
        raw = data.directory_id.strip()
        try:
            if raw and not raw.isdigit():
                raise InvalidInput("Choisissez une fiche de l'annuaire dans la liste.")
            admin.link(access, structure_id, int(raw) if raw else None)
        except InvalidInput as exc:
            context = _edit_context(access, structure_id, erreur=exc.message)
            return Template("administration/structure.html", context=context, status_code=400)
        note = "lie" if raw else "delie"
        return Redirect(f"/administration/structures/{structure_id}?fait={note}", status_code=303)

    @post("/structures/{structure_id:int}/fermer", status_code=303)
    async def close(self, access: Access, structure_id: Id) -> Redirect:
        admin.close(access, structure_id)
        return Redirect(f"/administration/structures/{structure_id}?fait=fermee", status_code=303)

    @post("/structures/{structure_id:int}/rouvrir", status_code=303)
    async def reopen(self, access: Access, structure_id: Id) -> Redirect:
        admin.reopen(access, structure_id)
        return Redirect(f"/administration/structures/{structure_id}?fait=rouverte", status_code=303)


class StructureHomePage(Controller):
    """``/structures/{id}``: the structure's description, for its members and its administrators
    (the network administrator included): members counted, settings linked, no person shown."""

    path = "/structures/{structure_id:int}"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="structure")
    async def page(self, access: Access, structure_id: Id) -> Template:
        actor = access.require_login()
        role = actor.role_in(structure_id)
        network = admin.is_network_admin(access)
        if role is None and not network:
            raise NotFound(admin.HIDDEN)
        structure = admin.detail(access.db, structure_id)
        if structure is None:
            raise NotFound(admin.HIDDEN)
        can_admin = network or access.allowed(admin.DIRECTOR, structure_id=structure_id)
        return Template(
            "administration/structure_page.html",
            context={
                **HELPERS,
                "structure": structure,
                "role": ROLES.get(role, role) if role else None,
                "network": network,
                "can_admin": can_admin,
                "links": _member_links(access, structure_id) if role else [],
            },
        )


def _member_links(access, sid: int) -> list[tuple[str, str]]:
    """What a member of the structure may open from its page (only what her role allows)."""
    candidates = [
        ("persons.list", f"/structures/{sid}/personnes", "Personnes accompagnées"),
        ("agenda.read", f"/agenda/structures/{sid}/semaine", "Agenda de la semaine"),
        ("audit.read", f"/structures/{sid}/journal", "Journal des accès"),
        ("tokens.manage", f"/structures/{sid}/jetons", "Jetons d'API"),
    ]
    return [
        (href, label) for perm, href, label in candidates if access.allowed(perm, structure_id=sid)
    ]
