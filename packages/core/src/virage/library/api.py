"""JSON API of the library: ``/api/bibliotheque`` (bearer tokens, acting in their structure).

Same rules as the pages: read by every worker of the structure, written with ``library.write``
(audited); another structure's folders and documents answer 404. Files are sent through the
pages (``multipart/form-data``); the API reads them and their versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody, QueryParameter
from pydantic import BaseModel, ConfigDict, Field

from virage.accounts.auth import require_actor_guard
from virage.deps import Access, AppSettings
from virage.errors import InvalidInput
from virage.library import service
from virage.library.web import MAX_BODY, _optional_id
from virage.partial import PartialUpdate

ERRORS = (
    "400 : saisie à corriger ; 401 : non connecté ; 403 : droit de ranger la bibliothèque "
    "manquant ; 404 : dossier ou document inconnu, ou d'une autre structure."
)
Query = Annotated[str, QueryParameter(max_length=400)]


class Folder(BaseModel):
    id: int
    parent_id: int | None
    name: str
    depth: int


class Document(BaseModel):
    id: int
    folder_id: int | None
    title: str
    kind: str = Field(description="procedure, protocole, formulaire, contacts ou autre")
    takeaway: bool = Field(description="« À emporter » : gardé hors ligne sur les appareils")
    version_number: int | None
    filename: str | None
    media_type: str | None
    size: int | None
    updated_at: str


class Version(BaseModel):
    id: int
    number: int
    filename: str
    media_type: str
    size: int
    note: str
    added_by_label: str
    added_at: str


class DocumentDetail(Document):
    versions: list[Version] = Field(description="La version en vigueur d'abord")


class Listing(BaseModel):
    structure_id: int
    folder: Folder | None
    folders: list[Folder]
    documents: list[Document]


class FolderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=service.MAX_NAME)
    parent_id: int | None = Field(default=None, ge=1, le=2**63 - 1)


class DocumentPatch(PartialUpdate):
    """Fields to change; a field left out is kept (neither may be emptied)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: str = Field(default=None, min_length=1, max_length=service.MAX_TITLE)  # type: ignore[assignment]
    takeaway: bool = None  # type: ignore[assignment]


@dataclass
class DocumentUpload:
    """The multipart form of a new document (its first version)."""

    file: UploadFile
    title: str
    kind: str = "autre"
    folder_id: str = ""


@dataclass
class VersionUpload:
    """The multipart form of a new version, which becomes the current one."""

    file: UploadFile
    note: str = ""


async def _read(upload: Any) -> tuple[bytes, str]:
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput("Joignez le fichier (champ « file »).")
    return await upload.read(), upload.filename


def _folder(row: dict | None) -> Folder | None:
    return None if row is None else Folder(**{k: row[k] for k in Folder.model_fields})


def _document(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: row[k] for k in Document.model_fields if k != "takeaway"},
        "takeaway": bool(row["takeaway"]),
    }


def _listing(view: dict) -> Listing:
    return Listing(
        structure_id=view["structure_id"],
        folder=_folder(view["folder"]),
        folders=[_folder(f) for f in view["folders"]],
        documents=[Document(**_document(d)) for d in view["documents"]],
    )


def _detail(access: Access, document_id: int) -> DocumentDetail:
    view = service.document(access, document_id)
    return DocumentDetail(
        **_document(view["document"]),
        versions=[Version(**{k: v[k] for k in Version.model_fields}) for v in view["versions"]],
    )


class LibraryController(Controller):
    path = "/api/bibliotheque"
    guards = [require_actor_guard]
    tags = ["Bibliothèque"]

    @get(
        "/structures/{structure_id:int}",
        summary="Haut de la bibliothèque d'une structure",
        description=ERRORS,
    )
    async def top(self, access: Access, structure_id: FromPath[int]) -> Listing:
        return _listing(service.listing(access, structure_id))

    @get(
        "/dossiers/{folder_id:int}",
        summary="Un dossier : sous-dossiers et documents",
        description=ERRORS,
    )
    async def folder(self, access: Access, folder_id: FromPath[int]) -> Listing:
        return _listing(service.listing(access, 0, folder_id))

    @get(
        "/structures/{structure_id:int}/recherche",
        summary="Chercher (titre et texte des PDF, sans tenir compte des accents)",
        description=ERRORS,
    )
    async def search(
        self, access: Access, structure_id: FromPath[int], q: Query = ""
    ) -> list[Document]:
        return [Document(**_document(d)) for d in service.search(access, structure_id, q)]

    @get("/documents/{document_id:int}", summary="Un document et ses versions", description=ERRORS)
    async def document(self, access: Access, document_id: FromPath[int]) -> DocumentDetail:
        return _detail(access, document_id)

    @get(
        "/versions/{version_id:int}/fichier",
        summary="Le fichier d'une version (en vigueur ou précédente)",
        description=ERRORS,
        media_type="application/octet-stream",
    )
    async def file(
        self, access: Access, settings: AppSettings, version_id: FromPath[int]
    ) -> Response[bytes]:
        row, data = service.file(access, settings, version_id)
        return Response(
            data, media_type=row["media_type"], headers={"X-Content-Type-Options": "nosniff"}
        )

    @post(
        "/structures/{structure_id:int}/dossiers",
        summary="Créer un dossier (trois niveaux au plus)",
        description=ERRORS,
    )
    async def add_folder(
        self, access: Access, structure_id: FromPath[int], data: JSONBody[FolderIn]
    ) -> Listing:
        folder_id = service.add_folder(access, structure_id, data.name, data.parent_id)
        return _listing(service.listing(access, 0, folder_id))

    @patch(
        "/documents/{document_id:int}",
        summary="Renommer un document, le marquer « à emporter » ou non",
        description=ERRORS,
    )
    async def update(
        self, access: Access, document_id: FromPath[int], data: JSONBody[DocumentPatch]
    ) -> DocumentDetail:
        service.update(access, document_id, takeaway=data.takeaway, title=data.title)
        return _detail(access, document_id)

    @post(
        "/structures/{structure_id:int}/documents",
        summary="Ajouter un document (multipart : file, title, kind, folder_id)",
        description=ERRORS + " 413 : fichier trop lourd ; 415 : type de fichier refusé.",
        request_max_body_size=MAX_BODY,
    )
    async def add_document(
        self,
        access: Access,
        settings: AppSettings,
        structure_id: FromPath[int],
        data: Annotated[DocumentUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> DocumentDetail:
        content, filename = await _read(data.file)
        document_id = service.add_document(
            access,
            settings,
            structure_id,
            title=data.title,
            kind=data.kind,
            folder_id=_optional_id(data.folder_id, "Dossier"),
            data=content,
            filename=filename,
        )
        return _detail(access, document_id)

    @post(
        "/documents/{document_id:int}/versions",
        summary="Déposer une nouvelle version (elle devient celle en vigueur)",
        description=ERRORS + " 413 : fichier trop lourd ; 415 : type de fichier refusé.",
        request_max_body_size=MAX_BODY,
    )
    async def add_version(
        self,
        access: Access,
        settings: AppSettings,
        document_id: FromPath[int],
        data: Annotated[VersionUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> DocumentDetail:
        content, filename = await _read(data.file)
        service.add_version(
            access, settings, document_id, data=content, filename=filename, note=data.note
        )
        return _detail(access, document_id)
