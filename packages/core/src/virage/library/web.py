"""Pages of the library: ``/bibliotheque/…`` (phone first; forms work without JavaScript)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Response, Template

from virage.accounts import lookups
from virage.accounts.auth import require_actor_guard
from virage.deps import Access, AppSettings
from virage.errors import InvalidInput
from virage.library import service

Id = FromPath[int]
Query = Annotated[str, QueryParameter(max_length=400)]
#: Largest multipart body read: the documents' limit (at most 200 Mo) plus the form's fields.
MAX_BODY = 201 * 1024 * 1024


def _size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} Ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def _context(access: Access, structure_id: int, /, **more) -> dict:
    structure = lookups.structure(access.db, structure_id) or {"id": structure_id, "name": ""}
    return {
        "structure": structure,
        "kinds": service.KINDS,
        "size_text": _size_text,
        "accept": ",".join(f".{ext}" for ext in sorted(service.ALLOWED)),
        **more,
    }


def _optional_id(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip()[:20])
    except ValueError:
        raise InvalidInput(f"{field} : choix invalide.") from None
    if not 1 <= number <= 2**63 - 1:
        raise InvalidInput(f"{field} : choix invalide.")
    return number


async def _upload(form) -> tuple[bytes, str]:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput("Choisissez le fichier à envoyer (PDF, document bureautique, photo).")
    return await upload.read(), upload.filename


class LibraryPages(Controller):
    path = "/bibliotheque"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="library-home")
    async def home(self, access: Access) -> Template | Redirect:
        actor = access.require_login()
        mine = [s for s in actor.structure_ids if access.allowed("library.read", structure_id=s)]
        if len(mine) == 1:
            return Redirect(f"/bibliotheque/structures/{mine[0]}", status_code=303)
        structures = [lookups.structure(access.db, s) or {"id": s, "name": ""} for s in mine]
        return Template("library/home.html", context={"structures": structures})

    @get("/structures/{structure_id:int}", name="library-structure")
    async def structure(self, access: Access, structure_id: Id) -> Template:
        view = service.listing(access, structure_id)
        return Template("library/folder.html", context=_context(access, structure_id, **view))

    @get("/dossiers/{folder_id:int}", name="library-folder")
    async def folder(self, access: Access, folder_id: Id) -> Template:
        view = service.listing(access, 0, folder_id)
        return Template(
            "library/folder.html", context=_context(access, view["structure_id"], **view)
        )

    @get("/structures/{structure_id:int}/recherche", name="library-search")
    async def search(self, access: Access, structure_id: Id, q: Query = "") -> Template:
        found = service.search(access, structure_id, q)
        return Template(
            "library/search.html",
            context=_context(access, structure_id, q=q, found=found),
        )

    @get("/a-emporter", name="library-takeaway")
    async def takeaway(self, access: Access) -> Template:
        return Template(
            "library/takeaway.html",
            context={"documents": service.takeaway(access), "kinds": service.KINDS},
        )

    @get("/documents/{document_id:int}", name="library-document")
    async def document(self, access: Access, document_id: Id) -> Template:
        view = service.document(access, document_id)
        sid = view["document"]["structure_id"]
        return Template("library/document.html", context=_context(access, sid, **view))

    @get("/versions/{version_id:int}/fichier", name="library-file")
    async def file(self, access: Access, settings: AppSettings, version_id: Id) -> Response:
        row, data = service.file(access, settings, version_id)
        name = quote(row["filename"], safe="")
        return Response(
            data,
            media_type=row["media_type"],
            headers={
                "Content-Disposition": f"inline; filename*=UTF-8''{name}",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @post("/structures/{structure_id:int}/dossiers", status_code=303)
    async def add_folder(self, request: Request, access: Access, structure_id: Id) -> Redirect:
        form = await request.form()
        parent = _optional_id(form.get("parent_id"), "Dossier parent")
        folder_id = service.add_folder(access, structure_id, form.get("name", ""), parent)
        return Redirect(f"/bibliotheque/dossiers/{folder_id}", status_code=303)

    @post(
        "/structures/{structure_id:int}/documents",
        status_code=303,
        request_max_body_size=MAX_BODY,
    )
    async def add_document(
        self, request: Request, access: Access, settings: AppSettings, structure_id: Id
    ) -> Redirect:
        form = await request.form()
        data, filename = await _upload(form)
        document_id = service.add_document(
            access,
            settings,
            structure_id,
            title=form.get("title", ""),
            kind=form.get("kind", ""),
            folder_id=_optional_id(form.get("folder_id"), "Dossier"),
            data=data,
            filename=filename,
        )
        return Redirect(f"/bibliotheque/documents/{document_id}?ok=ajout", status_code=303)

    @post(
        "/documents/{document_id:int}/versions",
        status_code=303,
        request_max_body_size=MAX_BODY,
    )
    async def add_version(
        self, request: Request, access: Access, settings: AppSettings, document_id: Id
    ) -> Redirect:
        form = await request.form()
        data, filename = await _upload(form)
        service.add_version(
            access, settings, document_id, data=data, filename=filename, note=form.get("note", "")
        )
        return Redirect(f"/bibliotheque/documents/{document_id}?ok=version", status_code=303)

    @post("/documents/{document_id:int}/a-emporter", status_code=303)
    async def set_takeaway(self, request: Request, access: Access, document_id: Id) -> Redirect:
        form = await request.form()
        value = form.get("value", "")
        if value not in ("0", "1"):
            raise InvalidInput("Choix « à emporter » invalide.")
        service.update(access, document_id, takeaway=value == "1")
        return Redirect(f"/bibliotheque/documents/{document_id}", status_code=303)
