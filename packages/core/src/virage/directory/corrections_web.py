"""Pages and API of the directory's correction reports (:mod:`virage.directory.corrections`).

- ``POST /annuaire/structures/{id}/signaler`` and ``/annuaire/professionnels/{id}/signaler``:
  one click from the entry's page (a button per kind of error), back to the entry.
- ``/annuaire/signalements``: the network administration's review page (accept or reject with
  a note) and ``/annuaire/signalements/export.fhir.json``, the ROR-shaped Task export.
- ``/api/v1/directory/corrections``: the same for integrations (bearer token).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from litestar import Controller, Response, get, post
from litestar.params import FromPath, QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template
from pydantic import BaseModel, Field

from virage.accounts.auth import require_actor_guard
from virage.deps import Access
from virage.directory import correction_tasks, corrections

Id = FromPath[int]
StatusParam = Annotated[
    str | None, QueryParameter(description="open (à examiner), accepted ou rejected")
]


class ReportForm(BaseModel):
    champ: str = ""
    valeur: str = ""
    commentaire: str = ""


class ReviewForm(BaseModel):
    decision: str = ""
    note: str = ""


class CorrectionIn(BaseModel):
    target_type: str = Field(description="structure ou professional")
    target_id: int
    field: str = Field(description=", ".join(corrections.FIELDS))
    proposed: str | None = Field(default=None, description="Valeur correcte, si connue")
    comment: str | None = None


class ReviewIn(BaseModel):
    decision: str = Field(description="accepted ou rejected")
    note: str | None = None


def _export(access, status: str | None) -> Response:
    reports = corrections.list_reports(access, status or "accepted")
    access.audit("directory.correction.export", details={"nombre": len(reports)})
    return Response(
        content=json.dumps(correction_tasks.bundle(reports), ensure_ascii=False, indent=2),
        media_type=correction_tasks.MEDIA_TYPE,
        headers={"Content-Disposition": 'attachment; filename="signalements-annuaire.fhir.json"'},
    )


class CorrectionPages(Controller):
    path = "/annuaire"
    include_in_schema = False
    guards = [require_actor_guard]

    @post("/structures/{structure_id:int}/signaler", status_code=303)
    async def report_structure(
        self, access: Access, structure_id: Id, data: URLEncodedBody[ReportForm]
    ) -> Response:
        corrections.report(
            access, "structure", structure_id, data.champ, data.valeur, data.commentaire
        )
        return Redirect(f"/annuaire/structures/{structure_id}?signale=1", status_code=303)

    @post("/professionnels/{professional_id:int}/signaler", status_code=303)
    async def report_professional(
        self, access: Access, professional_id: Id, data: URLEncodedBody[ReportForm]
    ) -> Response:
        corrections.report(
            access, "professional", professional_id, data.champ, data.valeur, data.commentaire
        )
        return Redirect(f"/annuaire/professionnels/{professional_id}?signale=1", status_code=303)

    @get("/signalements", name="directory-corrections")
    async def review_page(self, access: Access, etat: StatusParam = None) -> Template:
        reports = corrections.list_reports(access, etat or None)
        return Template(
            "directory/corrections.html",
            context={
                "reports": reports,
                "statuses": corrections.STATUSES,
                "etat": etat or "",
                "open_count": sum(1 for r in reports if r["status"] == "open"),
            },
        )

    @post("/signalements/{report_id:int}", status_code=303)
    async def review(
        self, access: Access, report_id: Id, data: URLEncodedBody[ReviewForm]
    ) -> Response:
        corrections.review(access, report_id, data.decision, data.note)
        return Redirect(f"/annuaire/signalements?examine={report_id}", status_code=303)

    @get("/signalements/export.fhir.json", name="directory-corrections-export")
    async def export(self, access: Access, etat: StatusParam = None) -> Response:
        return _export(access, etat)


class CorrectionController(Controller):
    path = "/api/v1/directory/corrections"
    tags = ["Annuaire"]
    guards = [require_actor_guard]

    @post("/", summary="Signaler une erreur sur une fiche de l'annuaire", status_code=201)
    async def create(self, access: Access, data: CorrectionIn) -> dict[str, Any]:
        return corrections.report(
            access, data.target_type, data.target_id, data.field, data.proposed, data.comment
        )

    @get("/", summary="Signalements à examiner ou examinés (administration du réseau)")
    async def list_reports(
        self, access: Access, status: StatusParam = None
    ) -> list[dict[str, Any]]:
        return corrections.list_reports(access, status)

    @post("/{report_id:int}/review", summary="Confirmer ou écarter un signalement", status_code=200)
    async def review(self, access: Access, report_id: Id, data: ReviewIn) -> dict[str, Any]:
        return corrections.review(access, report_id, data.decision, data.note)

    @get(
        "/tasks",
        summary="Signalements en Task d'anomalie (forme du guide ROR), à transmettre",
        media_type=correction_tasks.MEDIA_TYPE,
    )
    async def tasks(self, access: Access, status: StatusParam = None) -> Response:
        return _export(access, status)
