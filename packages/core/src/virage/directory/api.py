"""JSON and FHIR API of the directory (``/api/v1/directory``). Bearer tokens only.

The directory is registry data: any valid token may read it (permission ``directory.read``, held
by every role). Imports are not exposed here: they are done by the network administration with
``virage import <source> PATH``.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.params import FromPath, QueryParameter

from virage.accounts.auth import require_actor_guard
from virage.deps import Access, Plugins
from virage.directory import imports, search, service
from virage.directory.models import (
    Category,
    Commune,
    Professional,
    ProfessionalPage,
    SourceInfo,
    Structure,
    StructurePage,
)
from virage.errors import InvalidInput

Q = Annotated[
    str | None,
    QueryParameter(
        description="Mots cherchés (nom, catégorie, commune, numéro). Insensible aux accents ; "
        "le dernier mot est un début de mot."
    ),
]
Departement = Annotated[
    str | None, QueryParameter(description="Département : 01…95, 2A, 2B, 971…976")
]
CommuneParam = Annotated[
    str | None, QueryParameter(description="Commune (nom, code postal ou code INSEE)")
]
Near = Annotated[
    str | None, QueryParameter(description="Point de départ « latitude,longitude » (WGS84)")
]
NearCommune = Annotated[
    str | None,
    QueryParameter(description="Point de départ : une commune (nom, code postal, code INSEE)"),
]
Radius = Annotated[
    float | None,
    QueryParameter(description="Rayon en km autour du point de départ (20 par défaut)"),
]
OpenOnly = Annotated[
    bool, QueryParameter(description="Seulement les structures ou professionnels en activité")
]
Sort = Annotated[
    str | None,
    QueryParameter(description="relevance, distance ou name (par défaut : selon la recherche)"),
]
PageParam = Annotated[int, QueryParameter(description="Page (à partir de 1)")]
PerPage = Annotated[int, QueryParameter(description="Résultats par page (1 à 100)")]


def _page_dict(result: search.SearchResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "sort": result.sort,
        "center": result.center,
        "radius_km": result.radius_km,
        "broadened": result.fallback,
        "total_exact": result.total_exact,
        "results": result.results,
    }


class DirectoryController(Controller):
    path = "/api/v1/directory"
    tags = ["Annuaire"]
    guards = [require_actor_guard]

    @get("/structures", summary="Chercher des structures (établissements, entités juridiques)")
    async def search_structures(
        self,
        access: Access,
        q: Q = None,
        category: Annotated[
            list[str] | None,
            QueryParameter(
                description="Codes de catégorie FINESS (un ou plusieurs), ex. 354 (SSIAD), 500 (EHPAD)"
            ),
        ] = None,
        kind: Annotated[
            str | None, QueryParameter(description="ET (établissement) ou EJ (entité juridique)")
        ] = None,
        department: Departement = None,
        commune: CommuneParam = None,
        open_only: OpenOnly = True,
        near: Near = None,
        near_commune: NearCommune = None,
        radius_km: Radius = None,
        sort: Sort = None,
        page: PageParam = 1,
        per_page: PerPage = 20,
    ) -> StructurePage:
        service.require_read(access)
        params = search.SearchParams(
            q=q,
            categories=category or [],
            kind=kind,
            departement=department,
            commune=commune,
            open_only=open_only,
            near=near,
            near_commune=near_commune,
            radius_km=radius_km,
            sort=sort,
            page=page,
            per_page=per_page,
        )
        return StructurePage(**_page_dict(search.search_structures(access.db, params)))

    @get("/structures/{structure_id:int}", summary="Fiche d'une structure")
    async def get_structure(self, access: Access, structure_id: FromPath[int]) -> Structure:
        service.require_read(access)
        return Structure(**service.structure_detail(access.db, structure_id))

    @get("/structures/finess/{finess:str}", summary="Fiche d'une structure par numéro FINESS")
    async def get_by_finess(self, access: Access, finess: FromPath[str]) -> Structure:
        service.require_read(access)
        return Structure(**service.structure_by_finess(access.db, finess))

    @get("/professionals", summary="Chercher des professionnels (RPPS, ADELI)")
    async def search_professionals(
        self,
        access: Access,
        q: Q = None,
        profession: Annotated[
            list[str] | None,
            QueryParameter(
                description="Codes de profession (un ou plusieurs), ex. 60 (infirmier), 10 (médecin)"
            ),
        ] = None,
        department: Departement = None,
        commune: CommuneParam = None,
        open_only: OpenOnly = True,
        near: Near = None,
        near_commune: NearCommune = None,
        radius_km: Radius = None,
        sort: Sort = None,
        page: PageParam = 1,
        per_page: PerPage = 20,
    ) -> ProfessionalPage:
        service.require_read(access)
        params = search.SearchParams(
            q=q,
            professions=profession or [],
            departement=department,
            commune=commune,
            open_only=open_only,
            near=near,
            near_commune=near_commune,
            radius_km=radius_km,
            sort=sort,
            page=page,
            per_page=per_page,
        )
        return ProfessionalPage(**_page_dict(search.search_professionals(access.db, params)))

    @get("/professionals/{professional_id:int}", summary="Fiche d'un professionnel")
    async def get_professional(
        self, access: Access, professional_id: FromPath[int]
    ) -> Professional:
        service.require_read(access)
        return Professional(**service.professional_detail(access.db, professional_id))

    @get("/communes", summary="Communes connues de l'annuaire (pour le point de départ)")
    async def communes(
        self,
        access: Access,
        q: Annotated[str, QueryParameter(description="Nom, code postal ou code INSEE")],
    ) -> list[Commune]:
        service.require_read(access)
        if not q.strip() or len(q) > 100:
            raise InvalidInput("Indiquez un nom de commune, un code postal ou un code INSEE.")
        return [Commune(**c) for c in service.find_communes(access.db, q, limit=20)]

    @get("/categories", summary="Catégories de structures présentes dans l'annuaire")
    async def categories(self, access: Access) -> list[Category]:
        service.require_read(access)
        return [Category(**c) for c in service.categories_in_use(access.db)]

    @get("/sources", summary="Sources de l'annuaire (registres nationaux) et dernier import")
    async def sources(self, access: Access, plugins: Plugins) -> list[SourceInfo]:
        service.require_read(access)
        out = []
        for source in imports.sources_of(plugins).values():
            out.append(
                SourceInfo(
                    name=source.name,
                    label=source.label,
                    description=source.description,
                    formats=[{"name": f.name, "label": f.label} for f in source.formats],
                    last_import=service.last_successful_import(access.db, source.name),
                )
            )
        return out
