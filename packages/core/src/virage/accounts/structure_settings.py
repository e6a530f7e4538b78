"""« Réglages de la structure » (``/structures/{id}/reglages``), for the director and the network
administrator: when the second factor is required (« toujours » or « hors des réseaux de la
structure », with those networks), the date the CSE was informed and consulted (shown in every
worker's first-use notice), and the sections that domains and plugins add through the hook
``structure_settings_sections`` (each with its own form: see :mod:`virage.accounts.settings_sections`).

Roles that read health data need a second factor whatever is chosen here (see
:mod:`virage.accounts.second_factor`). Every change is in the structure's audit trail.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Response, Template
from pydantic import BaseModel, Field

from virage.access import ROLES, Registry
from virage.accounts import addresses, notice_storage, second_factor, storage
from virage.accounts import second_factor_storage as sf_store
from virage.accounts import settings_sections as extra
from virage.accounts import structure_admin as admin
from virage.accounts.auth import require_actor_guard
from virage.accounts.context import AccessContext
from virage.accounts.display import HELPERS
from virage.db import transaction
from virage.deps import Access, AppSettings, Permissions
from virage.errors import InvalidInput

PERMISSION = "structures.settings"


class SettingsForm(BaseModel):
    policy: str = Field(default="toujours", max_length=20)
    networks: str = Field(default="", max_length=5000)
    cse_date: str = Field(default="", max_length=20)


def _cse_day(raw: str) -> str | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            "Date d'information-consultation du CSE : indiquez une date (AAAA-MM-JJ), ou "
            "laissez vide si elle n'a pas eu lieu."
        ) from None
    if not date(1990, 1, 1) <= day <= date.today():
        raise InvalidInput(
            "Date d'information-consultation du CSE : une date passée (elle doit avoir eu lieu "
            "avant l'usage de Virage)."
        )
    return day.isoformat()


def clean(form: SettingsForm) -> tuple[str, list[str], str | None]:
    """The settings as stored, or ``InvalidInput`` naming what to correct."""
    if form.policy not in sf_store.POLICIES:
        raise InvalidInput("Choisissez quand le second facteur est demandé.")
    networks = second_factor.parse_networks(form.networks)
    if form.policy == "hors_reseaux" and not networks:
        raise InvalidInput(
            "Indiquez au moins un réseau de la structure (par exemple 192.168.10.0/24), ou "
            "choisissez « À chaque connexion »."
        )
    return form.policy, networks, _cse_day(form.cse_date)


def _context(
    access: AccessContext,
    registry: Registry,
    request: Request,
    settings,
    sid: int,
    failed: tuple[str, extra.SettingsForm, str] | None = None,
):
    structure = storage.get_structure(access.db, sid)
    sections = [
        extra.rendered(s, failed[1], failed[2])
        if failed and s.key == failed[0]
        else extra.rendered(s, None)
        for s in extra.sections(access, structure)
    ]
    rule = sf_store.structure_rules(access.db, [sid])[0]
    health = second_factor.health_roles(registry)
    address = addresses.resolve(request.scope, settings).address
    return {
        **HELPERS,
        "structure": structure,
        "policy": rule["policy"],
        "networks": "\n".join(rule["networks"]),
        "policies": second_factor.POLICY_LABELS,
        "cse_date": notice_storage.cse_dates(access.db, [sid])[0]["cse_consulted_on"] or "",
        "health_roles": [ROLES[r] for r in ROLES if r in health],
        "other_roles": [ROLES[r] for r in ROLES if r not in health],
        "address": address,
        "address_inside": second_factor.in_networks(address, rule["networks"]),
        "sections": sections,
        "network": admin.is_network_admin(access),
    }


class StructureSettingsPages(Controller):
    path = "/structures/{structure_id:int}/reglages"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="structure-settings")
    async def page(
        self,
        request: Request,
        access: Access,
        registry: Permissions,
        settings: AppSettings,
        structure_id: FromPath[int],
        enregistre: Annotated[bool, QueryParameter()] = False,
    ) -> Template:
        admin.require_admin(access, structure_id, PERMISSION)
        context = _context(access, registry, request, settings, structure_id)
        context["fait"] = "Réglages enregistrés." if enregistre else None
        return Template("accounts/structure_settings.html", context=context)

    @post("/", status_code=303)
    async def save(
        self,
        request: Request,
        access: Access,
        registry: Permissions,
        settings: AppSettings,
        structure_id: FromPath[int],
        data: URLEncodedBody[SettingsForm],
    ) -> Response:
        admin.require_admin(access, structure_id, "structures.settings.update")
        try:
            policy, networks, cse = clean(data)
        except InvalidInput as exc:
            context = _context(access, registry, request, settings, structure_id)
            context.update(
                erreur=exc.message,
                policy=data.policy,
                networks=data.networks,
                cse_date=data.cse_date,
            )
            return Template("accounts/structure_settings.html", context=context, status_code=400)
        with transaction(access.db):
            sf_store.set_structure_rule(access.db, structure_id, policy, networks)
            notice_storage.set_cse_date(access.db, structure_id, cse)
            access.audit(
                "structures.settings.updated",
                structure_id=structure_id,
                details={"second_facteur": policy, "reseaux": networks, "cse_consulte_le": cse},
            )
        return Redirect(f"/structures/{structure_id}/reglages?enregistre=1", status_code=303)

    @post("/{key:str}", status_code=303)
    async def save_section(
        self,
        request: Request,
        access: Access,
        registry: Permissions,
        settings: AppSettings,
        structure_id: FromPath[int],
        key: FromPath[str],
    ) -> Response:
        """One section contributed by a domain or a plugin (hook ``structure_settings_sections``)."""
        admin.require_admin(access, structure_id, "structures.settings.update")
        form = extra.SettingsForm.from_pairs((await request.form()).multi_items())
        structure = storage.get_structure(access.db, structure_id)
        try:
            extra.save(access, structure, key, form)
        except InvalidInput as exc:
            context = _context(
                access, registry, request, settings, structure_id, (key, form, exc.message)
            )
            return Template("accounts/structure_settings.html", context=context, status_code=400)
        return Redirect(f"/structures/{structure_id}/reglages?enregistre=1#{key}", status_code=303)
