"""The journal's pages: a structure's journal (direction, DPO), the entries about one person as
CSV (direction, DPO), the whole journal as CSV and a worker's activity (DPO, with a reason)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter, URLEncodedBody
from litestar.response import Response, Template
from pydantic import ValidationError

from virage.accounts import persons, service
from virage.accounts.auth import require_actor_guard
from virage.accounts.display import HELPERS
from virage.audit import journal
from virage.deps import Access
from virage.errors import InvalidInput, pydantic_details

Id = FromPath[int]


def _filters(values: dict[str, Any]) -> journal.Filters:
    """The filters from a query string or a form; empty fields mean « all »."""
    given = {k: v for k, v in values.items() if k in journal.Filters.model_fields and v != ""}
    try:
        return journal.Filters.model_validate(given)
    except ValidationError as exc:
        details = pydantic_details(exc)
        raise InvalidInput(
            "Un des filtres n'est pas valide : corrigez-le.", details=details
        ) from None


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv",  # Litestar adds "; charset=utf-8" to text/* types
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _worker_id(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise InvalidInput("Choisissez un professionnel dans la liste.") from None


class JournalPages(Controller):
    path = "/structures/{structure_id:int}/journal"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="journal")
    async def journal(
        self,
        access: Access,
        request: Request,
        structure_id: Id,
        format: Annotated[str, QueryParameter()] = "html",
        professionnel: Annotated[str | None, QueryParameter()] = None,
    ) -> Response | Template:
        filters = _filters(dict(request.query_params))
        if format == "csv":
            if filters.personne is None:  # the whole journal: the DPO, with a reason (POST)
                journal.require_full(access, structure_id, None, filters)
            csv = journal.person_csv(access, structure_id, filters)
            return _csv(csv, f"journal-structure-{structure_id}-personne-{filters.personne}.csv")
        if professionnel:
            # A worker's activity is not a filter of the journal: the DPO asks for it with a
            # reason (POST below). Refused here to everyone, and recorded.
            journal.worker_page(access, structure_id, _worker_id(professionnel), None, filters)
        page = journal.structure_page(access, structure_id, filters)
        return self._render(access, structure_id, filters, page)

    @post("/export", status_code=200, name="journal-export")
    async def full_export(
        self, access: Access, structure_id: Id, data: URLEncodedBody[dict[str, str]]
    ) -> Response:
        """The whole journal of the structure as CSV: the DPO, with a reason (flagged)."""
        filters = _filters(data)
        csv = journal.full_csv(access, structure_id, data.get("motif"), filters)
        return _csv(csv, f"journal-structure-{structure_id}.csv")

    @post("/activite", status_code=200, name="journal-worker")
    async def worker_activity(
        self, access: Access, structure_id: Id, data: URLEncodedBody[dict[str, str]]
    ) -> Template:
        filters = _filters(data)
        page = journal.worker_page(
            access, structure_id, _worker_id(data.get("professionnel")), data.get("motif"), filters
        )
        return self._render(access, structure_id, filters, page, motif=data.get("motif", ""))

    def _render(self, access, structure_id, filters, page, motif: str = "") -> Template:
        person = None
        if filters.personne:
            person = persons.names_for(access, [filters.personne]).get(filters.personne)
        return Template(
            "audit/journal.html",
            context={
                "structure": service.get_structure(access.db, structure_id),
                "filters": filters,
                "filter_query": filters.model_dump(mode="json", exclude_defaults=True),
                "person_name": person,
                "motif": motif,
                **page,
                **journal.form_choices(access, structure_id),
                **HELPERS,
            },
        )
