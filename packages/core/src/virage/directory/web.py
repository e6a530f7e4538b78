"""Web pages of the directory (``/annuaire``): phone first, a search form that works without
JavaScript (a small script only refreshes the results while typing), detail pages with a map-free
address block and ``tel:`` links."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Response, get, post
from litestar.params import FromPath, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template
from pydantic import BaseModel

from virage.accounts.auth import require_actor_guard
from virage.deps import Access, Plugins
from virage.directory import (
    categories,
    corrections,
    fhir,
    imports,
    normalize,
    search,
    service,
)
from virage.errors import InvalidInput
from virage.french import day_text

Id = FromPath[int]
Text = Annotated[str | None, QueryParameter()]

RADII = (5, 10, 15, 20, 30, 50)
SOURCE_LABELS = {"finess": "FINESS", "demo": "données fictives de démonstration"}


def fr_date(value: str | None) -> str:
    """'2005-11-17' → « 17 novembre 2005 » (dates of the registry are calendar dates)."""
    if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return day_text(value[:10])
    return value or ""


def _helpers() -> dict[str, Any]:
    return {
        "fr_date": fr_date,
        "source_label": lambda name: SOURCE_LABELS.get(name, name),
        "tel": normalize.phone_display,
        "short_category": categories.short_category,
        "km": lambda d: "" if d is None else (f"{d:.1f} km".replace(".", ",")),
    }


def _page_links(base: str, args: dict[str, Any], result: search.SearchResult) -> dict[str, str]:
    clean = {k: v for k, v in args.items() if v not in (None, "", [])}
    links = {}
    if result.page > 1:
        links["prev"] = f"{base}?{urlencode({**clean, 'page': result.page - 1}, doseq=True)}"
    if result.page < result.pages:
        links["next"] = f"{base}?{urlencode({**clean, 'page': result.page + 1}, doseq=True)}"
    return links


def _int(value: str | None, default: int, name: str) -> int:
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"{name} : nombre entier attendu.") from None


def _float(value: str | None, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise InvalidInput(f"{name} : nombre attendu (par exemple 15).") from None


def _reports(access: Access, target_type: str, target_id: int, signale: str | None) -> dict:
    """Context of the « report an error » block of an entry's page."""
    return {
        "confirmed": corrections.confirmed_for(access.db, target_type, target_id),
        "reported": signale == "1",
        "report_fields": corrections.FIELDS,
    }


class ExtraForm(BaseModel):
    champs: str = ""


class DirectoryPages(Controller):
    path = "/annuaire"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="directory")
    async def search_page(
        self,
        access: Access,
        plugins: Plugins,
        q: Text = None,
        categorie: Text = None,
        departement: Text = None,
        pres_de: Text = None,
        rayon: Text = None,
        statut: Text = None,
        type: Text = None,
        tri: Text = None,
        page: Text = None,
    ) -> Template:
        service.require_read(access)
        db = access.db
        form = {
            "q": q or "",
            "categorie": categorie or "",
            "departement": departement or "",
            "pres_de": pres_de or "",
            "rayon": rayon or "",
            "statut": statut or "ouvertes",
            "type": type or "",
            "tri": tri or "",
        }
        searched = any(form[k] for k in ("q", "categorie", "departement", "pres_de"))
        result, error = None, None
        if searched:
            try:
                params = search.SearchParams(
                    q=q,
                    categories=[categorie] if categorie else [],
                    departement=departement,
                    near_commune=pres_de or None,
                    radius_km=_float(rayon, "Rayon") if pres_de else None,
                    open_only=form["statut"] != "toutes",
                    kind=type or None,
                    sort=tri or None,
                    page=_int(page, 1, "Page"),
                )
                result = search.search_structures(db, params)
            except InvalidInput as exc:
                error = exc.message
        sources = imports.sources_of(plugins)
        last = [(s.label, service.last_successful_import(db, s.name)) for s in sources.values()]
        return Template(
            "directory/search.html",
            status_code=400 if error else 200,
            context={
                **_helpers(),
                "form": form,
                "result": result,
                "error": error,
                "links": _page_links("/annuaire", form, result) if result else {},
                "categories": service.categories_in_use(db),
                "radii": RADII,
                "counts": service.count_structures(db),
                "last_imports": [(label, imp) for label, imp in last if imp],
                "can_import": access.allowed("directory.import"),
            },
        )

    @get("/structures/{structure_id:int}", name="directory-structure")
    async def structure_page(
        self, access: Access, structure_id: Id, signale: Text = None
    ) -> Template:
        service.require_read(access)
        row = service.structure_detail(access.db, structure_id)
        return Template(
            "directory/structure.html",
            context={
                **_helpers(),
                **_reports(access, "structure", structure_id, signale),
                "s": row,
                "can_manage": access.allowed("directory.manage"),
                "extra_text": "\n".join(f"{k} : {v}" for k, v in row["extra"].items()),
            },
        )

    @post("/structures/{structure_id:int}/reseau", status_code=303)
    async def save_extra(
        self, access: Access, structure_id: Id, data: URLEncodedBody[ExtraForm]
    ) -> Response:
        try:
            service.set_extra(access, structure_id, data.champs)
        except InvalidInput as exc:
            row = service.structure_detail(access.db, structure_id)
            return Template(
                "directory/structure.html",
                status_code=400,
                context={
                    **_helpers(),
                    **_reports(access, "structure", structure_id, None),
                    "s": row,
                    "can_manage": True,
                    "extra_text": data.champs,
                    "extra_error": exc.message,
                },
            )
        return Redirect(f"/annuaire/structures/{structure_id}?enregistre=1", status_code=303)

    @get("/structures/{structure_id:int}/fhir", name="directory-structure-fhir")
    async def structure_fhir(self, access: Access, structure_id: Id) -> Response:
        service.require_read(access)
        row = service.structure_detail(access.db, structure_id)
        resources = [fhir.organization(row)]
        if row["kind"] == "ET":
            resources.append(fhir.healthcare_service(row))
        content = fhir.bundle(resources, "/api/v1/directory/fhir")
        content["type"] = "collection"
        for entry in content["entry"]:
            entry.pop("search", None)
        content.pop("total", None)
        return Response(
            content=json.dumps(content, ensure_ascii=False, indent=2),
            media_type=fhir.MEDIA_TYPE,
            headers={
                "Content-Disposition": f'attachment; filename="structure-{row["finess"] or row["id"]}.fhir.json"'
            },
        )

    @get("/professionnels", name="directory-professionals")
    async def professionals_page(
        self,
        access: Access,
        q: Text = None,
        profession: Text = None,
        pres_de: Text = None,
        rayon: Text = None,
        page: Text = None,
    ) -> Template:
        service.require_read(access)
        db = access.db
        form = {
            "q": q or "",
            "profession": profession or "",
            "pres_de": pres_de or "",
            "rayon": rayon or "",
        }
        result, error = None, None
        if form["q"] or form["profession"] or form["pres_de"]:
            try:
                params = search.SearchParams(
                    q=q,
                    professions=[profession] if profession else [],
                    near_commune=pres_de or None,
                    radius_km=_float(rayon, "Rayon") if pres_de else None,
                    page=_int(page, 1, "Page"),
                )
                result = search.search_professionals(db, params)
            except InvalidInput as exc:
                error = exc.message
        return Template(
            "directory/professionals.html",
            status_code=400 if error else 200,
            context={
                **_helpers(),
                "form": form,
                "result": result,
                "error": error,
                "links": _page_links("/annuaire/professionnels", form, result) if result else {},
                "professions": service.professions_in_use(db),
                "radii": RADII,
            },
        )

    @get("/professionnels/{professional_id:int}", name="directory-professional")
    async def professional_page(
        self, access: Access, professional_id: Id, signale: Text = None
    ) -> Template:
        service.require_read(access)
        row = service.professional_detail(access.db, professional_id)
        return Template(
            "directory/professional.html",
            context={
                **_helpers(),
                **_reports(access, "professional", professional_id, signale),
                "p": row,
            },
        )

    @get("/imports", name="directory-imports")
    async def imports_page(self, access: Access, plugins: Plugins) -> Template:
        access.require("directory.import", action="directory.imports.read")
        return Template(
            "directory/imports.html",
            context={
                "imports": service.list_imports(access.db),
                "sources": list(imports.sources_of(plugins).values()),
            },
        )
