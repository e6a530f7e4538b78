"""The library's use cases: browse, search, add documents and versions, keep for the field.

Read (``library.read``) by every worker of the structure, never by another structure (its
folders and documents answer « not found ») nor by persons supported (they have no account).
Write (``library.write``): direction, coordination, secretariat; every write is audited. The
library holds no personal data: its reads are not audited.

Files go through the documents' intake (:func:`virage.documents.intake.check_upload`: type by
content, active content refused, virus scan) and are stored by content
(:func:`virage.documents.blobs.blob_store`) before the rows point to them.
"""

from __future__ import annotations

import re
from typing import Any

from virage.accounts.context import AccessContext
from virage.db import transaction
from virage.documents.blobs import blob_store
from virage.documents.intake import check_upload
from virage.errors import Conflict, InvalidInput, NotFound
from virage.library import storage, text
from virage.settings import Settings

KINDS: dict[str, str] = {
    "procedure": "Procédure",
    "protocole": "Protocole",
    "formulaire": "Formulaire",
    "contacts": "Fiche contacts",
    "autre": "Autre document",
}
#: Folders nest at most this deep (a folder, a sub-folder, a sub-sub-folder).
MAX_DEPTH = 3
ALLOWED = {"pdf", "docx", "xlsx", "pptx", "odt", "ods", "jpg", "png"}
MAX_TITLE = 200
MAX_NAME = 100
MAX_NOTE = 300
DOCUMENT_NOT_FOUND = "Ce document n'existe pas ou ne vous est pas accessible."
FOLDER_NOT_FOUND = "Ce dossier n'existe pas ou ne vous est pas accessible."
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_label(value: Any, field: str, maximum: int, *, required: bool = True) -> str:
    """A one-line label: trimmed, no control characters, bounded; French error otherwise."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} : texte attendu.")
    cleaned = " ".join(_CONTROL.sub(" ", value).split())
    if required and not cleaned:
        raise InvalidInput(f"{field} : à remplir.")
    if len(cleaned) > maximum:
        raise InvalidInput(f"{field} : {maximum} caractères au plus ({len(cleaned)} reçus).")
    return cleaned


def _read(access: AccessContext, structure_id: int) -> None:
    actor = access.require_login()
    if actor.role_in(structure_id) is None:
        raise NotFound("Cette bibliothèque n'existe pas ou ne vous est pas accessible.")
    access.require("library.read", structure_id=structure_id)


def can_write(access: AccessContext, structure_id: int) -> bool:
    return access.allowed("library.write", structure_id=structure_id)


def _folder_of(access: AccessContext, folder_id: int) -> dict:
    found = storage.folder(access.db, folder_id)
    if found is None or access.require_login().role_in(found["structure_id"]) is None:
        raise NotFound(FOLDER_NOT_FOUND)
    return found


def _document_of(access: AccessContext, document_id: int) -> dict:
    found = storage.document(access.db, document_id)
    if found is None or access.require_login().role_in(found["structure_id"]) is None:
        raise NotFound(DOCUMENT_NOT_FOUND)
    access.require("library.read", structure_id=found["structure_id"])
    return found


def _path(access: AccessContext, folder: dict | None) -> list[dict]:
    """The folders from the top down to ``folder`` (bounded by the depth)."""
    out: list[dict] = []
    while folder is not None and len(out) < MAX_DEPTH:
        out.insert(0, folder)
        parent = folder["parent_id"]
        folder = storage.folder(access.db, parent) if parent is not None else None
    return out


# ------------------------------------------------------------------ reading


def listing(access: AccessContext, structure_id: int, folder_id: int | None = None) -> dict:
    """A folder (``None``: the top of the structure's library): its sub-folders and documents."""
    folder = None
    if folder_id is not None:
        folder = _folder_of(access, folder_id)
        structure_id = folder["structure_id"]
    _read(access, structure_id)
    return {
        "structure_id": structure_id,
        "folder": folder,
        "path": _path(access, folder),
        "folders": storage.folders(access.db, structure_id, folder_id),
        "documents": storage.documents(access.db, structure_id, folder_id),
        "all_folders": storage.all_folders(access.db, structure_id),
        "can_write": can_write(access, structure_id),
        "can_add_folder": folder is None or folder["depth"] < MAX_DEPTH,
    }


def document(access: AccessContext, document_id: int) -> dict:
    """A document with its versions, the current one first."""
    doc = _document_of(access, document_id)
    folder = storage.folder(access.db, doc["folder_id"]) if doc["folder_id"] else None
    return {
        "document": doc,
        "versions": storage.versions(access.db, document_id),
        "text": storage.current_text(access.db, document_id),
        "path": _path(access, folder),
        "can_write": can_write(access, doc["structure_id"]),
    }


def search(access: AccessContext, structure_id: int, query: str) -> list[dict]:
    _read(access, structure_id)
    return storage.search(access.db, structure_id, text.terms(query))


def takeaway(access: AccessContext) -> list[dict]:
    """The documents « à emporter » of every structure the worker belongs to."""
    actor = access.require_login()
    mine = [s for s in actor.structure_ids if access.allowed("library.read", structure_id=s)]
    return storage.takeaway(access.db, mine)


def file(access: AccessContext, settings: Settings, version_id: int) -> tuple[dict, bytes]:
    """A version's row and bytes (the current or an older one)."""
    row = storage.version(access.db, version_id)
    if row is None:
        raise NotFound("Cette version n'existe pas ou ne vous est pas accessible.")
    _document_of(access, row["document_id"])
    return row, blob_store(settings, access.plugins).get(row["sha256"])


# ------------------------------------------------------------------ writing


def _require_write(access: AccessContext, structure_id: int, action: str) -> None:
    access.require("library.write", structure_id=structure_id, action=action)


def add_folder(access: AccessContext, structure_id: int, name: Any, parent_id: int | None) -> int:
    name = clean_label(name, "Nom du dossier", MAX_NAME)
    depth = 1
    if parent_id is not None:
        parent = _folder_of(access, parent_id)
        if parent["structure_id"] != structure_id:
            raise NotFound(FOLDER_NOT_FOUND)
        depth = parent["depth"] + 1
    _read(access, structure_id)
    _require_write(access, structure_id, "library.folder.added")
    if depth > MAX_DEPTH:
        raise InvalidInput(
            f"Les dossiers s'imbriquent sur {MAX_DEPTH} niveaux au plus : créez celui-ci plus haut."
        )
    with transaction(access.db):
        if storage.count_folders(access.db, structure_id) >= storage.MAX_FOLDERS:
            raise Conflict(
                f"La bibliothèque compte déjà {storage.MAX_FOLDERS} dossiers : regroupez-en avant "
                "d'en créer."
            )
        actor = access.require_login()
        folder_id = storage.add_folder(access.db, structure_id, parent_id, name, depth, actor.label)
        access.audit(
            "library.folder.added",
            structure_id=structure_id,
            target=f"library-folder:{folder_id}",
            details={"nom": name},
        )
    return folder_id


def _stored(access: AccessContext, settings: Settings, data: bytes, filename: str) -> dict:
    """Checks a file (intake) and stores its bytes; the values of its version row."""
    filename = clean_label(filename or "document", "Nom du fichier", 200)
    checked = check_upload(
        data,
        filename,
        allowed=ALLOWED,
        max_bytes=settings.documents_max_mb * 1024 * 1024,
        plugins=access.plugins,
    )
    blob_store(settings, access.plugins).put(checked.data)
    extracted = text.pdf_text(checked.data) if checked.media_type == "application/pdf" else ""
    return {
        "filename": filename,
        "media_type": checked.media_type,
        "size": checked.size,
        "sha256": checked.sha256,
        "text": extracted,
    }


def add_document(
    access: AccessContext,
    settings: Settings,
    structure_id: int,
    *,
    title: Any,
    kind: Any,
    folder_id: int | None,
    data: bytes,
    filename: str,
) -> int:
    """A new document with its first version."""
    title = clean_label(title, "Titre", MAX_TITLE)
    if kind not in KINDS:
        raise InvalidInput(f"Nature du document : choisissez parmi {', '.join(KINDS.values())}.")
    if folder_id is not None and _folder_of(access, folder_id)["structure_id"] != structure_id:
        raise NotFound(FOLDER_NOT_FOUND)
    _read(access, structure_id)
    _require_write(access, structure_id, "library.document.added")
    if storage.count_documents(access.db, structure_id) >= storage.MAX_DOCUMENTS:
        raise Conflict(
            f"La bibliothèque compte déjà {storage.MAX_DOCUMENTS} documents : retirez ceux qui ne "
            "servent plus."
        )
    values = _stored(access, settings, data, filename)
    actor = access.require_login()
    with transaction(access.db):
        document_id = storage.add_document(access.db, structure_id, folder_id, title, kind)
        storage.add_version(
            access.db,
            document_id,
            values,
            actor.user_id,
            actor.label,
            text.normalise(f"{title} {values['text']}"),
        )
        access.audit(
            "library.document.added",
            structure_id=structure_id,
            target=f"library-document:{document_id}",
            details={"titre": title, "fichier": values["filename"]},
        )
    return document_id


def add_version(
    access: AccessContext,
    settings: Settings,
    document_id: int,
    *,
    data: bytes,
    filename: str,
    note: Any = "",
) -> int:
    """A new version of a document, which becomes the current one; the older ones stay."""
    doc = _document_of(access, document_id)
    structure_id = doc["structure_id"]
    _require_write(access, structure_id, "library.version.added")
    note = clean_label(note, "Ce qui change", MAX_NOTE, required=False)
    if storage.count_versions(access.db, document_id) >= storage.MAX_VERSIONS:
        raise Conflict(f"Ce document a déjà {storage.MAX_VERSIONS} versions : créez-en un nouveau.")
    values = {**_stored(access, settings, data, filename), "note": note}
    actor = access.require_login()
    with transaction(access.db):
        version_id = storage.add_version(
            access.db,
            document_id,
            values,
            actor.user_id,
            actor.label,
            text.normalise(f"{doc['title']} {values['text']}"),
        )
        access.audit(
            "library.version.added",
            structure_id=structure_id,
            target=f"library-document:{document_id}",
            details={"fichier": values["filename"]},
        )
    return version_id


def update(
    access: AccessContext, document_id: int, *, takeaway: bool | None = None, title: Any = None
) -> None:
    """Marks a document « à emporter » (or not), or renames it."""
    doc = _document_of(access, document_id)
    structure_id = doc["structure_id"]
    _require_write(access, structure_id, "library.document.updated")
    with transaction(access.db):
        changes: dict[str, Any] = {}
        if title is not None:
            title = clean_label(title, "Titre", MAX_TITLE)
            current = storage.current_text(access.db, document_id)
            storage.set_title(access.db, document_id, title, text.normalise(f"{title} {current}"))
            changes["titre"] = title
        if takeaway is not None:
            storage.set_takeaway(access.db, document_id, takeaway)
            changes["a_emporter"] = "oui" if takeaway else "non"
        if changes:
            access.audit(
                "library.document.updated",
                structure_id=structure_id,
                target=f"library-document:{document_id}",
                details=changes,
            )
