"""« Cibles et modèles de transmission » (``/administration/transmissions``): the network's shared
nomenclature, managed by the network administrator (list, add, edit, retire, put back).

The checks and the audit are those of the command line (:mod:`.nomenclature_admin`). Directors
choose which targets and templates their structure uses in « Réglages de la structure ».
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import FromPath, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Response, Template
from pydantic import BaseModel, Field

from virage.accounts.auth import require_actor_guard
from virage.deps import Access
from virage.errors import Conflict, InvalidInput
from virage.transmissions import nomenclature_admin as admin
from virage.transmissions.targets import CATEGORIES

PAGE = "/administration/transmissions"
PERMISSION = "structures.manage"
NOTES = {
    "cible-ajoutee": "Cible ajoutée.",
    "cible-modifiee": "Cible modifiée.",
    "cible-retiree": "Cible retirée : elle n'est plus proposée ; les transmissions qui l'utilisent "
    "la gardent et restent lisibles.",
    "cible-remise": "Cible de nouveau proposée.",
    "modele-ajoute": "Modèle ajouté.",
    "modele-modifie": "Modèle modifié.",
    "modele-retire": "Modèle retiré : il n'est plus proposé à l'écriture.",
    "modele-remis": "Modèle de nouveau proposé.",
}


class TargetForm(BaseModel):
    code: str = Field(default="", max_length=60)
    label: str = Field(default="", max_length=200)
    category: str = Field(default="", max_length=40)
    position: str = Field(default="500", max_length=12)


class TemplateForm(BaseModel):
    target: str = Field(default="", max_length=60)
    label: str = Field(default="", max_length=200)
    data: str = Field(default="", max_length=8000)
    actions: str = Field(default="", max_length=8000)
    results: str = Field(default="", max_length=8000)


def _allow(access) -> admin.Author:
    access.require(PERMISSION, action="transmissions.nomenclature.manage")
    return admin.Author(access.actor)


def _page(access, status_code: int = 200, **extra) -> Template:
    targets, templates = admin.nomenclature(access.db)
    context = {
        "targets": targets,
        "templates": templates,
        "categories": CATEGORIES,
        "labels": {t["code"]: t["label"] for t in targets},
        "fait": None,
        "erreur": None,
        "new_target": {},
        "new_template": {},
        **extra,
    }
    return Template("administration/transmissions.html", context=context, status_code=status_code)


def _refused(access, exc: InvalidInput | Conflict, **typed) -> Template:
    return _page(access, 409 if isinstance(exc, Conflict) else 400, erreur=exc.message, **typed)


def _done(note: str, anchor: str = "") -> Redirect:
    return Redirect(f"{PAGE}?fait={note}{anchor}", status_code=303)


class NomenclaturePages(Controller):
    path = PAGE
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="administration-transmissions")
    async def index(
        self, access: Access, fait: Annotated[str | None, QueryParameter()] = None
    ) -> Template:
        _allow(access)
        return _page(access, fait=NOTES.get(fait or ""))

    @post("/cibles", status_code=303)
    async def add_target(self, access: Access, data: URLEncodedBody[TargetForm]) -> Response:
        by = _allow(access)
        try:
            admin.add_target(access.db, by, data.code, data.label, data.category, data.position)
        except (InvalidInput, Conflict) as exc:
            return _refused(access, exc, new_target=data.model_dump())
        return _done("cible-ajoutee")

    @post("/cibles/{code:str}", status_code=303)
    async def edit_target(
        self, access: Access, code: FromPath[str], data: URLEncodedBody[TargetForm]
    ) -> Response:
        by = _allow(access)
        try:
            admin.update_target(access.db, by, code, data.label, data.category, data.position)
        except (InvalidInput, Conflict) as exc:
            return _refused(access, exc)
        return _done("cible-modifiee", f"#cible-{code}")

    @post("/cibles/{code:str}/retirer", status_code=303)
    async def retire_target(self, access: Access, code: FromPath[str]) -> Response:
        admin.set_target_active(access.db, _allow(access), code, False)
        return _done("cible-retiree", f"#cible-{code}")

    @post("/cibles/{code:str}/remettre", status_code=303)
    async def restore_target(self, access: Access, code: FromPath[str]) -> Response:
        admin.set_target_active(access.db, _allow(access), code, True)
        return _done("cible-remise", f"#cible-{code}")

    @post("/modeles", status_code=303)
    async def add_template(self, access: Access, data: URLEncodedBody[TemplateForm]) -> Response:
        by = _allow(access)
        try:
            admin.add_template(
                access.db, by, data.target, data.label, data.data, data.actions, data.results
            )
        except (InvalidInput, Conflict) as exc:
            return _refused(access, exc, new_template=data.model_dump())
        return _done("modele-ajoute")

    @post("/modeles/{template_id:int}", status_code=303)
    async def edit_template(
        self, access: Access, template_id: FromPath[int], data: URLEncodedBody[TemplateForm]
    ) -> Response:
        by = _allow(access)
        try:
            admin.update_template(
                access.db, by, template_id, data.label, data.data, data.actions, data.results
            )
        except (InvalidInput, Conflict) as exc:
            return _refused(access, exc)
        return _done("modele-modifie", f"#modele-{template_id}")

    @post("/modeles/{template_id:int}/retirer", status_code=303)
    async def retire_template(self, access: Access, template_id: FromPath[int]) -> Response:
        admin.set_template_active(access.db, _allow(access), template_id, False)
        return _done("modele-retire", f"#modele-{template_id}")

    @post("/modeles/{template_id:int}/remettre", status_code=303)
    async def restore_template(self, access: Access, template_id: FromPath[int]) -> Response:
        admin.set_template_active(access.db, _allow(access), template_id, True)
        return _done("modele-remis", f"#modele-{template_id}")
