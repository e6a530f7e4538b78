"""Indicators API (``/api/v1/indicateurs``): a structure's published tables over a period, and
an approved export of the sas (its download audited, like on the page)."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, Response, get
from litestar.params import PathParameter, QueryParameter
from pydantic import BaseModel, Field

from virage.accounts.auth import require_actor_guard
from virage.agenda.limits import MAX_ID
from virage.deps import Access
from virage.indicators import dashboard, formats, sas
from virage.indicators.suppression import Table

Id = Annotated[int, PathParameter(ge=1, le=MAX_ID)]


class IndicatorRow(BaseModel):
    category: str = Field(description="Type, état, motif… ; vide quand l'indicateur n'en a pas")
    values: dict[str, float | None] = Field(
        description="Valeur par mois (AAAA-MM) ; null : masquée"
    )
    total: float | None = Field(
        None, description="Total de la période ; null : masqué ou sans objet"
    )


class IndicatorOut(BaseModel):
    key: str
    label: str
    unit: str
    dimensions: list[str]
    additive: bool = Field(description="Compte qui s'additionne (totaux publiés)")
    description: str
    rows: list[IndicatorRow]
    month_totals: dict[str, float | None]
    hidden_cells: int


class IndicatorsOut(BaseModel):
    structure_id: int
    months: list[str]
    threshold: int = Field(description="Seuil des petits effectifs (personnes)")
    indicators: list[IndicatorOut]


class IndicatorsApi(Controller):
    """Indicators of a structure (figures only, small cells hidden)."""

    path = "/api/v1/indicateurs"
    tags = ["Indicateurs"]
    guards = [require_actor_guard]

    @get("/structures/{structure_id:int}", summary="Indicateurs d'une structure, par mois")
    async def structure(
        self,
        access: Access,
        structure_id: Id,
        debut: Annotated[
            str, QueryParameter(description="Premier mois (AAAA-MM)", max_length=10)
        ] = "",
        fin: Annotated[
            str, QueryParameter(description="Dernier mois (AAAA-MM)", max_length=10)
        ] = "",
    ) -> IndicatorsOut:
        months = dashboard.months_from(debut, fin)
        page = dashboard.structure_page(access, structure_id, months, charts=False)
        out = []
        for entry in page["entries"]:
            table: Table = entry["table"]
            out.append(
                IndicatorOut(
                    key=entry["key"],
                    label=entry["label"],
                    unit=entry["unit"],
                    dimensions=entry["dimensions"],
                    additive=entry["additive"],
                    description=entry["description"],
                    rows=[IndicatorRow(**r) for r in table.as_rows()],
                    month_totals=table.col_totals,
                    hidden_cells=table.hidden,
                )
            )
        return IndicatorsOut(
            structure_id=structure_id, months=months, threshold=page["threshold"], indicators=out
        )

    @get(
        "/exports/{export_id:int}",
        summary="Export approuvé du sas (téléchargement journalisé)",
        media_type="application/json",
    )
    async def export(
        self,
        access: Access,
        export_id: Id,
        format: Annotated[
            Literal["json", "csv", "fhir"], QueryParameter(description="json, csv ou fhir")
        ] = "json",
    ) -> Response:
        row = sas.for_download(access, export_id, format)
        return Response(
            formats.render(row["content"], format), media_type=formats.FORMATS[format][0]
        )
