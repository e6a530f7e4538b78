"""Pages of the documents: a person's list and upload form, the in-app camera, each file
(audited, never cached, never sniffed), « envoyer au siège » and the inbox of the secretariat."""

from __future__ import annotations

import re

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from virage.accounts.auth import require_actor_guard
from virage.deps import Access
from virage.documents import inbox, service
from virage.documents.intake import NO_SCANNER
from virage.documents.kinds import ACCEPT, ADMIN_KINDS, CARE_KINDS, KINDS, WITHDRAW_REASONS
from virage.errors import InvalidInput, PayloadTooLarge

#: Largest body a form may send (the file's own limit, ``VIRAGE_DOCUMENTS_MAX_MB``, is checked
#: on its bytes with a clearer message).
MAX_BODY = 201 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
INLINE_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp")


def size_label(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} Ko"
    return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")


def _choices() -> dict:
    return {
        "kinds": KINDS,
        "admin_kinds": ADMIN_KINDS,
        "care_kinds": CARE_KINDS,
        "accept": ACCEPT,
        "no_scanner": NO_SCANNER,
        "size_label": size_label,
        "withdraw_reasons": WITHDRAW_REASONS,
    }


def file_response(row: dict, data: bytes, *, download: bool) -> Response:
    """The file as stored: never guessed by the browser, never kept in a cache."""
    inline = not download and row["media_type"] in INLINE_TYPES
    name = _SAFE_NAME.sub("-", row["title"])[:60].strip("-") or "document"
    return Response(
        content=data,
        media_type=row["media_type"],
        headers={
            "Content-Disposition": (
                f'{"inline" if inline else "attachment"}; filename="{name}.{row["extension"]}"'
            ),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        },
    )


async def read_upload(request: Request) -> tuple[dict, bytes, str]:
    try:
        form = await request.form()
    except Exception as exc:  # a body cut or malformed: the person's input
        if "too large" in str(exc).lower() or getattr(exc, "status_code", 0) == 413:
            raise PayloadTooLarge("L'envoi est trop volumineux.") from None
        raise InvalidInput("L'envoi n'a pas pu être lu : recommencez.") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise InvalidInput("Choisissez un fichier ou prenez une photo.")
    data = await upload.read()
    fields = {
        k: str(form.get(k) or "")[:500]
        for k in ("kind", "title", "document_date", "series", "source")
    }
    return fields, data, upload.filename or ""


class DocumentPages(Controller):
    path = "/personnes/{person_id:int}/documents"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="person-documents")
    async def page(
        self, access: Access, person_id: FromPath[int], ok: FromQuery[str] = ""
    ) -> Template:
        view = service.view(access, person_id)
        return Template("documents/list.html", context={**view, **_choices(), "ok": ok[:20]})

    @post("/", status_code=303, request_max_body_size=MAX_BODY)
    async def add(self, request: Request, access: Access, person_id: FromPath[int]) -> Redirect:
        fields, data, filename = await read_upload(request)
        service.add(
            access,
            person_id,
            data=data,
            filename=filename,
            kind=fields["kind"],
            title=fields["title"],
            document_date=fields["document_date"] or None,
            series=fields["series"],
            source=fields["source"] or "upload",
        )
        anchor = "#series" if fields["series"] else ""
        return Redirect(f"/personnes/{person_id}/documents?ok=ajoute{anchor}", status_code=303)

    @get(
        "/photo",
        name="person-documents-camera",
        opt={"permissions_policy": {"camera": ["self"]}},
    )
    async def camera(
        self,
        access: Access,
        person_id: FromPath[int],
        serie: FromQuery[str] = "",
        nature: FromQuery[str] = "",
    ) -> Template:
        view = service.view(access, person_id)
        series = service.clean_text(serie, service.MAX_SERIES, "Série de photos")
        kind = nature if nature in KINDS else ("wound_photo" if series else "contract")
        reference = service.series_reference(access, person_id, series) if series else None
        context = {
            **view,
            **_choices(),
            "series_name": series,
            "kind": kind,
            "reference": reference,
        }
        return Template("documents/camera.html", context=context)

    @get("/{document_id:int}", name="person-document-file")
    async def file(
        self, access: Access, person_id: FromPath[int], document_id: FromPath[int]
    ) -> Response:
        row, data = service.open_file(access, person_id, document_id)
        return file_response(row, data, download=False)

    @get("/{document_id:int}/telecharger", name="person-document-download")
    async def download(
        self, access: Access, person_id: FromPath[int], document_id: FromPath[int]
    ) -> Response:
        row, data = service.open_file(access, person_id, document_id)
        return file_response(row, data, download=True)

    @post("/{document_id:int}/archiver", status_code=303)
    async def archive(
        self, access: Access, person_id: FromPath[int], document_id: FromPath[int]
    ) -> Redirect:
        service.archive(access, person_id, document_id)
        return Redirect(f"/personnes/{person_id}/documents?ok=archive", status_code=303)

    @post("/{document_id:int}/retirer", status_code=303)
    async def withdraw(
        self, request: Request, access: Access, person_id: FromPath[int], document_id: FromPath[int]
    ) -> Redirect:
        form = await request.form()
        service.withdraw(access, person_id, document_id, str(form.get("motif") or "")[:30])
        return Redirect(f"/personnes/{person_id}/documents?ok=retire", status_code=303)

    @post("/{document_id:int}/envoyer-au-siege", status_code=303)
    async def send(
        self, access: Access, person_id: FromPath[int], document_id: FromPath[int]
    ) -> Redirect:
        inbox.send(access, person_id, document_id)
        return Redirect(f"/personnes/{person_id}/documents?ok=envoye", status_code=303)


class InboxPages(Controller):
    path = "/documents/a-classer"
    include_in_schema = False
    guards = [require_actor_guard]

    @get("/", name="documents-inbox")
    async def page(
        self, access: Access, etat: FromQuery[str] = "a_classer", ok: FromQuery[str] = ""
    ) -> Template:
        view = inbox.listing(access, etat)
        return Template("documents/inbox.html", context={**view, **_choices(), "ok": ok[:20]})

    @post("/{item_id:int}", status_code=303)
    async def file(self, request: Request, access: Access, item_id: FromPath[int]) -> Redirect:
        form = await request.form()
        inbox.file(
            access, item_id, str(form.get("kind") or "")[:30], str(form.get("title") or "")[:500]
        )
        return Redirect("/documents/a-classer?ok=classe", status_code=303)
