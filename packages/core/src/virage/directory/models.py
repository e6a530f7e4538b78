"""Models at the boundary of the directory (API responses and the network's fields form)."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

Status = Literal["open", "closed"]


class StructureSummary(BaseModel):
    id: int
    kind: Literal["ET", "EJ"] = Field(description="ET : établissement ; EJ : entité juridique")
    finess: str | None
    ej_finess: str | None = Field(description="FINESS de l'entité juridique de rattachement")
    name: str
    long_name: str | None
    category_code: str | None
    category_label: str | None
    address_line: str | None
    postcode: str | None
    city: str | None
    commune_code: str | None = Field(description="Code commune INSEE")
    departement: str | None
    lat: float | None
    lon: float | None
    phone: str | None
    status: Status
    distance_km: float | None = Field(default=None, description="Distance au point de départ")


class StructureRef(BaseModel):
    id: int
    finess: str | None
    name: str
    category_label: str | None = None
    city: str | None = None
    status: Status


class ProfessionalInStructure(BaseModel):
    id: int
    civility: str | None
    family_name: str
    given_name: str | None
    profession_label: str | None
    function: str | None
    status: Status


class Structure(StructureSummary):
    legal_status_code: str | None
    legal_status_label: str | None
    siret: str | None
    address_extra: str | None
    fax: str | None
    email: str | None
    opened_on: str | None
    closed_on: str | None
    extra: dict[str, Any] = Field(
        description="Champs libres du réseau : capacités, spécialités, zone d'intervention…"
    )
    source: str
    source_updated: str | None
    updated_at: str
    legal_entity: StructureRef | None = None
    establishments: list[StructureRef] = Field(default_factory=list)
    professionals: list[ProfessionalInStructure] = Field(default_factory=list)

    @field_validator("extra", mode="before")
    @classmethod
    def _json(cls, value):
        return json.loads(value) if isinstance(value, str) else value


class Specialty(BaseModel):
    code: str | None
    label: str


class ProfessionalSummary(BaseModel):
    id: int
    idnps: str | None = Field(description="Identifiant national : 8 + RPPS, ou 0 + ADELI")
    rpps: str | None
    adeli: str | None
    civility: str | None
    family_name: str
    given_name: str | None
    profession_code: str | None
    profession_label: str | None
    specialties: list[Specialty]
    city: str | None
    departement: str | None
    phone: str | None
    mssante: str | None = Field(description="Messagerie sécurisée de santé")
    status: Status
    distance_km: float | None = None

    @field_validator("specialties", mode="before")
    @classmethod
    def _json(cls, value):
        return json.loads(value) if isinstance(value, str) else value


class Role(BaseModel):
    id: int
    function: str | None
    phone: str | None
    mssante: str | None
    finess: str | None
    structure_id: int | None
    structure_name: str | None
    city: str | None


class Professional(ProfessionalSummary):
    has_account: bool = Field(description="A un compte Virage")
    source: str
    updated_at: str
    roles: list[Role]


class Page(BaseModel):
    total: int = Field(
        description="Nombre de résultats (compté jusqu'à 1 000 hors recherche par distance)"
    )
    total_exact: bool = Field(
        default=True, description="Faux quand il y a plus de résultats que « total »"
    )
    page: int
    per_page: int
    pages: int
    sort: Literal["relevance", "distance", "name"]
    center: dict[str, Any] | None = Field(
        default=None, description="Point de départ des distances (libellé, lat, lon)"
    )
    radius_km: float | None = None
    broadened: bool = Field(
        default=False, description="Aucun résultat exact : chaque mot a été cherché comme début"
    )


class StructurePage(Page):
    results: list[StructureSummary]


class ProfessionalPage(Page):
    results: list[ProfessionalSummary]


class Commune(BaseModel):
    code: str
    name: str
    departement: str | None
    postcode: str | None
    lat: float | None
    lon: float | None


class Category(BaseModel):
    code: str
    label: str | None
    open_count: int
    count: int


class SourceInfo(BaseModel):
    name: str
    label: str
    description: str
    formats: list[dict[str, str]]
    last_import: dict[str, Any] | None
