"""A person's documents in her FHIR R4 file: ``DocumentReference`` (hooks
``dossier_fhir_resources`` and ``dossier_fhir_import`` of :mod:`virage.dossier`).

The file travels **inside** the bundle (``attachment.data``, base64): an export is made to leave
this instance with the person (another service, another software), where a link back here would
not open. Beyond :data:`MAX_EMBEDDED` bytes per person, the next files are described with a
relative ``attachment.url`` only (the bundle stays of a size a browser can download); they are
not imported. Care documents are exported only to the care team. The import takes every file
through the same intake as an upload (type by content, active content, antivirus).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from virage.accounts.context import AccessContext
from virage.documents import service, storage
from virage.documents.kinds import KINDS
from virage.errors import InvalidInput

KIND_SYSTEM = "urn:virage:document-kind"
SERIES_EXTENSION = "urn:virage:document-series"
MAX_EMBEDDED = 50 * 1024 * 1024
MAX_IMPORTED = storage.MAX_PER_PERSON


def resources(access: AccessContext, person_id: int) -> list[dict[str, Any]]:
    _, ref = access.load_person(person_id)
    categories = []
    if access.allowed("documents.read", person=ref):
        categories.append("admin")
    if access.allowed("persons.health.read", person=ref):
        categories.append("care")
    rows = storage.listing(access.db, person_id, tuple(categories))
    if not rows:
        return []
    access.audit(
        "documents.export",
        structure_id=ref.structure_id,
        person_id=person_id,
        details={"documents": len(rows)},
    )
    blobs = service.store(access)
    out, embedded = [], 0
    for row in rows:
        attachment: dict[str, Any] = {
            "contentType": row["media_type"],
            "title": row["title"],
            "size": row["size"],
        }
        if row["document_date"]:
            attachment["creation"] = row["document_date"]
        if embedded + row["size"] <= MAX_EMBEDDED and blobs.exists(row["sha256"]):
            data = blobs.get(row["sha256"])
            embedded += len(data)
            attachment["data"] = base64.b64encode(data).decode("ascii")
            attachment["hash"] = base64.b64encode(hashlib.sha1(data).digest()).decode("ascii")
        else:
            attachment["url"] = f"/personnes/{person_id}/documents/{row['id']}/telecharger"
        resource: dict[str, Any] = {
            "resourceType": "DocumentReference",
            "id": f"document-{row['id']}",
            "status": "current",
            "type": {
                "coding": [{"system": KIND_SYSTEM, "code": row["kind"]}],
                "text": KINDS[row["kind"]].label if row["kind"] in KINDS else row["kind"],
            },
            "subject": {"reference": f"Patient/{person_id}"},
            "date": _instant(row["added_at"]),
            "author": [{"display": row["added_by_label"]}] if row["added_by_label"] else [],
            "description": row["title"],
            "content": [{"attachment": attachment}],
        }
        if not resource["author"]:
            del resource["author"]
        if row["series"]:
            resource["extension"] = [{"url": SERIES_EXTENSION, "valueString": row["series"]}]
        out.append(resource)
    return out


def _instant(value: str) -> str:
    text = str(value)
    if "T" not in text:
        return text
    if text.endswith("Z") or "+" in text[10:] or text[10:].count("-") > 0:
        return text
    return text + "+00:00"


def import_resources(access: AccessContext, person_id: int, resources: list[dict]) -> None:
    mine = [
        r
        for r in resources
        if r.get("resourceType") == "DocumentReference"
        and any(c.get("system") == KIND_SYSTEM for c in (r.get("type") or {}).get("coding", []))
    ]
    if len(mine) > MAX_IMPORTED:
        raise InvalidInput(f"Au plus {MAX_IMPORTED} documents par personne.")
    for res in mine:
        kind = next(c["code"] for c in res["type"]["coding"] if c.get("system") == KIND_SYSTEM)
        attachment = (res.get("content") or [{}])[0].get("attachment") or {}
        raw = attachment.get("data")
        if not raw:
            continue  # described only (too large to travel in the bundle)
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput(
                f"Document « {attachment.get('title') or res.get('id')} » : contenu illisible."
            ) from None
        series = next(
            (
                e.get("valueString", "")
                for e in res.get("extension") or []
                if e.get("url") == SERIES_EXTENSION
            ),
            "",
        )
        service.add(
            access,
            person_id,
            data=data,
            filename=f"{res.get('id', 'document')}",
            kind=kind,
            title=res.get("description") or attachment.get("title") or "",
            document_date=attachment.get("creation"),
            series=series,
            source="import",
        )
