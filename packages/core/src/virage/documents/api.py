"""JSON API of a person's documents: ``/api/personnes/{id}/documents``.

Bearer tokens only, acting in their structure; care documents for the care team only; every
list, description and file read audited. Upload: ``multipart/form-data`` (``file``, ``kind``,
optional ``title``, ``document_date``, ``series``), bounded by ``VIRAGE_DOCUMENTS_MAX_MB``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.spec import Example
from litestar.params import Body, FromPath
from litestar.response import Response
from pydantic import BaseModel, Field

from virage.accounts.auth import require_actor_guard
from virage.deps import Access
from virage.documents import inbox, service
from virage.documents.kinds import WITHDRAW_REASONS
from virage.documents.web import MAX_BODY, file_response
from virage.errors import InvalidInput


class WithdrawIn(BaseModel):
    """Why the document leaves the file (the journal keeps the reason, never free text)."""

    motif: Literal[tuple(WITHDRAW_REASONS)] = Field(  # type: ignore[valid-type]
        description="autre_personne (classé dans le dossier d'une autre personne), doublon "
        "(ajouté en double) ou illisible (photo ratée, fichier illisible)"
    )


class DocumentOut(BaseModel):
    """A person's document (its file at ``/api/personnes/{person_id}/documents/{id}/fichier``)."""

    id: int
    person_id: int
    kind: str
    category: str
    title: str
    document_date: str | None
    media_type: str
    size: int
    sha256: str
    series: str
    source: str
    added_by_label: str
    added_at: str


class DocumentList(BaseModel):
    person_id: int
    documents: list[DocumentOut]
    care_included: bool
    antivirus: bool


class InboxItemOut(BaseModel):
    id: int
    document_id: int


@dataclass
class DocumentUpload:
    """The multipart form of an upload."""

    file: UploadFile
    kind: str
    title: str = ""
    document_date: str = ""
    series: str = ""


def _out(row: dict) -> DocumentOut:
    return DocumentOut(**{k: row[k] for k in DocumentOut.model_fields})


class DocumentsController(Controller):
    path = "/api/personnes/{person_id:int}/documents"
    guards = [require_actor_guard]
    tags = ["Documents"]

    @get("/", summary="Documents d'une personne (soins : équipe de soins seulement)")
    async def listing(self, access: Access, person_id: FromPath[int]) -> DocumentList:
        view = service.view(access, person_id)
        rows = view["documents"] + [r for rows in view["series"].values() for r in rows]
        return DocumentList(
            person_id=person_id,
            documents=[_out(r) for r in rows],
            care_included=view["can_care"],
            antivirus=bool(view["scanners"]),
        )

    @post(
        "/",
        summary="Ajouter un document (multipart : file, kind, title, document_date, series)",
        request_max_body_size=MAX_BODY,
    )
    async def add(
        self,
        request: Request,
        access: Access,
        person_id: FromPath[int],
        data: Annotated[
            DocumentUpload,
            Body(
                media_type=RequestEncodingType.MULTI_PART,
                examples=[Example(summary="Un contrat en PDF", value={"kind": "contract"})],
            ),
        ],
    ) -> DocumentOut:
        if not isinstance(data.file, UploadFile):
            raise InvalidInput("Joignez le fichier (champ « file »).")
        content = await data.file.read()
        document_id = service.add(
            access,
            person_id,
            data=content,
            filename=data.file.filename or "",
            kind=str(data.kind or "")[:30],
            title=str(data.title or "")[:500],
            document_date=str(data.document_date or "")[:30] or None,
            series=str(data.series or "")[:500],
        )
        return _out(service.metadata(access, person_id, document_id))

    @get("/{document_id:int}", summary="Description d'un document")
    async def read(
        self, access: Access, person_id: FromPath[int], document_id: FromPath[int]
    ) -> DocumentOut:
        return _out(service.metadata(access, person_id, document_id))

    @get(
        "/{document_id:int}/fichier",
        summary="Le fichier d'un document (téléchargement, jamais mis en cache)",
        media_type="application/octet-stream",
    )
    async def file(
        self, access: Access, person_id: FromPath[int], document_id: FromPath[int]
    ) -> Response:
        row, content = service.open_file(access, person_id, document_id)
        return file_response(row, content, download=True)

    @delete("/{document_id:int}", summary="Archiver un document (gardé, retiré des listes)")
    async def archive(
        self, access: Access, person_id: FromPath[int], document_id: FromPath[int]
    ) -> None:
        service.archive(access, person_id, document_id)

    @post(
        "/{document_id:int}/retrait",
        summary="Retirer un document classé par erreur, en double ou illisible (effacé du dossier)",
        status_code=204,
    )
    async def withdraw(
        self,
        access: Access,
        person_id: FromPath[int],
        document_id: FromPath[int],
        data: WithdrawIn,
    ) -> None:
        service.withdraw(access, person_id, document_id, data.motif)

    @post(
        "/{document_id:int}/envoi-siege",
        summary="Envoyer au siège un document administratif (jamais un document de soins)",
    )
    async def send(
        self, access: Access, person_id: FromPath[int], document_id: FromPath[int]
    ) -> InboxItemOut:
        item_id = inbox.send(access, person_id, document_id)
        return InboxItemOut(id=item_id, document_id=document_id)
