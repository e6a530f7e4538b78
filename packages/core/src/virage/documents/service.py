"""The documents' use cases: list, add, open, archive; every read and write checked and audited.

Administrative kinds (contract, consent, identity papers) follow ``documents.read`` (the
secretariat and the care team); care kinds (prescription, report, wound photo) follow
``persons.health.read`` (the care team only, like the health notes). A file is stored (durably)
before its row is written: a crash between the two leaves a harmless orphan file, never a row
pointing to nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from virage.accounts.context import AccessContext
from virage.db import transaction
from virage.documents import intake, storage
from virage.documents.blobs import BlobStore, blob_store
from virage.documents.kinds import ALLOWED_TYPES, KINDS, WITHDRAW_REASONS
from virage.errors import Conflict, InvalidInput, NotFound, VirageError

CLOSED = "Ce dossier est clos : ses documents restent consultables mais on ne peut plus en ajouter."
NOT_FOUND = "Ce document n'existe pas ou a été archivé."
MAX_TITLE = 200
MAX_SERIES = 80


def store(access: AccessContext) -> BlobStore:
    plugins = access.plugins
    if plugins is None:  # pragma: no cover - services always run with the application's host
        raise VirageError("Le stockage des documents n'est pas disponible.")
    return blob_store(plugins.settings, plugins)


def max_bytes(access: AccessContext) -> int:
    settings = access.plugins.settings if access.plugins is not None else None
    return (settings.documents_max_mb if settings else 20) * 1024 * 1024


def _read_perm(category: str) -> tuple[str, str]:
    return (
        ("persons.health.read", "documents.care")
        if category == "care"
        else (
            "documents.read",
            "documents",
        )
    )


def _write_perm(category: str) -> tuple[str, str]:
    return (
        ("documents.care.write", "documents.care")
        if category == "care"
        else (
            "documents.write",
            "documents",
        )
    )


def view(access: AccessContext, person_id: int) -> dict[str, Any]:
    """The person's documents the actor may read (care kinds for the care team only)."""
    person = access.require("documents.read", person_id=person_id, action="documents.list")
    _, ref = access.load_person(person_id)
    categories: tuple[str, ...] = ("admin",)
    can_care = access.allowed("persons.health.read", person=ref)
    if can_care:
        access.require("persons.health.read", person_id=person_id, action="documents.care.list")
        categories = ("admin", "care")
    rows = storage.listing(access.db, person_id, categories)
    for row in rows:
        row["kind_label"] = KINDS[row["kind"]].label if row["kind"] in KINDS else row["kind"]
        pending = storage.pending_for(access.db, row["id"])
        row["sent"] = pending is not None
    series: dict[str, list[dict]] = {}
    for row in rows:
        if row["series"]:
            series.setdefault(row["series"], []).append(row)
    active = person["status"] == "active"
    return {
        "person": person,
        "documents": [r for r in rows if not r["series"]],
        "series": {k: sorted(v, key=lambda r: (r["added_at"], r["id"])) for k, v in series.items()},
        "can_care": can_care,
        "can_write": active and access.allowed("documents.write", person=ref),
        "can_write_care": active and access.allowed("documents.care.write", person=ref),
        "scanners": intake.scanners(access.plugins),
        "max_mb": max_bytes(access) // (1024 * 1024),
    }


def clean_text(value: str | None, limit: int, what: str) -> str:
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise InvalidInput(f"{what} : au plus {limit} caractères.")
    return text


def parse_day(value: str | None) -> str | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InvalidInput("Date du document : indiquez une date (jour, mois, année).") from None
    if not 1900 <= day.year <= 2200:
        raise InvalidInput("Date du document : entre 1900 et 2200.")
    return day.isoformat()


def add(
    access: AccessContext,
    person_id: int,
    *,
    data: bytes,
    filename: str,
    kind: str,
    title: str = "",
    document_date: str | None = None,
    series: str = "",
    source: str = "upload",
) -> int:
    """Check the file, store it durably, then record it; return the document's id."""
    if kind not in KINDS:
        raise InvalidInput("Choisissez le type du document dans la liste.")
    category = KINDS[kind].category
    title = clean_text(title, MAX_TITLE, "Titre") or KINDS[kind].label
    series = clean_text(series, MAX_SERIES, "Série de photos")
    day = parse_day(document_date)
    perm, prefix = _write_perm(category)
    person = access.require(
        perm, person_id=person_id, action=f"{prefix}.add", details={"nature": kind}
    )
    if person["status"] != "active":
        raise Conflict(CLOSED)
    if storage.count(access.db, person_id) >= storage.MAX_PER_PERSON:
        raise Conflict(
            f"Ce dossier compte déjà {storage.MAX_PER_PERSON} documents : archivez ceux qui ne "
            "servent plus avant d'en ajouter."
        )
    try:
        checked = intake.check_upload(
            data,
            filename or "",
            allowed=ALLOWED_TYPES,
            max_bytes=max_bytes(access),
            plugins=access.plugins,
        )
    except VirageError as exc:
        access.audit(
            "documents.refused",
            person_id=person_id,
            structure_id=person["structure_id"],
            outcome="denied",
            details={"raison": exc.message[:200]},
        )
        raise
    if series and not checked.media_type.startswith("image/"):
        raise InvalidInput("Une série de photos ne reçoit que des photos.")
    sha = store(access).put(checked.data)  # durable before the row
    values = {
        "kind": kind,
        "category": category,
        "title": title,
        "document_date": day,
        "media_type": checked.media_type,
        "extension": checked.extension,
        "size": checked.size,
        "sha256": sha,
        "original_name": clean_text(filename, 200, "Nom du fichier"),
        "series": series,
        "source": source if source in ("upload", "camera", "import") else "upload",
    }
    actor = access.require_login()
    with transaction(access.db):
        return storage.add(
            access.db, person["structure_id"], person_id, values, actor.user_id, actor.label
        )


def _document(
    access: AccessContext,
    person_id: int,
    document_id: int,
    *,
    write: bool,
    verb: str = "archive",
    details: dict | None = None,
) -> dict:
    row = storage.document(access.db, person_id, document_id)
    category = row["category"] if row else "admin"
    perm, prefix = _write_perm(category) if write else _read_perm(category)
    access.require(
        perm,
        person_id=person_id,
        action=f"{prefix}.{verb if write else 'read'}",
        target=f"document:{document_id}",
        details=details,
    )
    if row is None or row["archived_at"]:
        raise NotFound(NOT_FOUND)
    return row


def metadata(access: AccessContext, person_id: int, document_id: int) -> dict:
    """One document's description (its read audited)."""
    return _document(access, person_id, document_id, write=False)


def open_file(access: AccessContext, person_id: int, document_id: int) -> tuple[dict, bytes]:
    """The document and its bytes, the read audited."""
    row = _document(access, person_id, document_id, write=False)
    return row, store(access).get(row["sha256"])


def archive(access: AccessContext, person_id: int, document_id: int) -> None:
    """Archive a document (kept, hidden from the lists); the journal keeps who and when."""
    row = _document(access, person_id, document_id, write=True)
    storage.archive(access.db, row["id"], access.require_login().label)


def withdraw(access: AccessContext, person_id: int, document_id: int, reason: str) -> None:
    """Remove a document put in the wrong file, twice, or unreadable: unlike an archived one, it
    leaves the person's file, her exports and the head office's inbox. The journal keeps who,
    when, which kind and why (from :data:`WITHDRAW_REASONS`, never free text)."""
    if reason not in WITHDRAW_REASONS:
        raise InvalidInput(
            "Dites pourquoi le document est retiré : "
            + ", ".join(f"« {label} »" for label in WITHDRAW_REASONS.values())
            + "."
        )
    row = _document(
        access, person_id, document_id, write=True, verb="withdraw", details={"motif": reason}
    )
    with transaction(access.db):
        storage.withdraw(access.db, row["id"])


def series_reference(access: AccessContext, person_id: int, series: str) -> dict | None:
    """The last photo of a series (the framing to match), for the care team."""
    if not series:
        return None
    access.require("persons.health.read", person_id=person_id, action="documents.care.list")
    photos = storage.series_photos(access.db, person_id, series)
    return photos[-1] if photos else None
