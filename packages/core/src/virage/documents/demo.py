"""The demo territory's documents (``virage demo``): in the file of the first person Paul's SSIAD
follows, a signed care contract and a sharing consent (administrative, read by the secretariat),
a nursing prescription (care) and a wound-follow-up series of three photos three weeks apart
(care, the same framing). All fictitious: generated PDFs and drawn pictures, no real scan.

The files go into the blob store like any upload; they are not checked by a virus scanner (the
demo writes them itself, and a demo machine may have none running).
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from PIL import Image, ImageDraw

from virage.accounts import lookups
from virage.db import Database, transaction
from virage.documents import storage
from virage.documents.blobs import blob_store
from virage.documents.kinds import KINDS
from virage.library.pdf import simple_pdf

NURSE = "paul.infirmier"
NURSE_LABEL = "Paul Girard (paul.infirmier)"
SECRETARY_LABEL = "Léa Moreau (lea.secretariat)"
SERIES = "Talon droit"


def _pdf(title: str, *lines: str) -> bytes:
    return simple_pdf([[f"{title} (document fictif de démonstration)", *lines]])


def wound_photo(size: int) -> bytes:
    """A drawn picture standing for a heel wound: the same framing, a wound of ``size`` px."""
    image = Image.new("RGB", (640, 480), (226, 190, 160))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 400, 600, 440), fill=(240, 240, 240))  # the ruler the nurse lays down
    for x in range(40, 601, 28):
        draw.line((x, 400, x, 415), fill=(60, 60, 60), width=2)
    left, top = 320 - size, 220 - size * 2 // 3
    draw.ellipse((left, top, 320 + size, 220 + size * 2 // 3), fill=(176, 70, 62))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _documents(today: date) -> list[tuple[str, str, date, bytes, str, str, str, str]]:
    """(kind, title, document date, bytes, media type, extension, source, added by)."""
    pdf, jpeg = ("application/pdf", "pdf"), ("image/jpeg", "jpg")
    out = [
        (
            "contract",
            "Contrat de prise en charge signé",
            today - timedelta(days=200),
            _pdf("Contrat de prise en charge — SSIAD du Val-de-Loue", "Signé au domicile."),
            *pdf,
            "camera",
            NURSE_LABEL,
        ),
        (
            "consent",
            "Accord pour le partage avec le médecin traitant",
            today - timedelta(days=200),
            _pdf("Accord de partage d'informations", "Avec le médecin traitant."),
            *pdf,
            "upload",
            SECRETARY_LABEL,
        ),
        (
            "prescription",
            "Prescription de soins infirmiers",
            today - timedelta(days=30),
            _pdf("Prescription de soins infirmiers", "Pansement du talon droit, un jour sur deux."),
            *pdf,
            "upload",
            NURSE_LABEL,
        ),
    ]
    for weeks, size in ((3, 70), (2, 52), (1, 36)):
        title = f"{SERIES}, semaine {4 - weeks}"
        day = today - timedelta(weeks=weeks)
        out.append(("wound_photo", title, day, wound_photo(size), *jpeg, "camera", NURSE_LABEL))
    return out


def create(db: Database, settings, plugins) -> list[str]:
    nurse = lookups.user_by_username(db, NURSE)
    person = lookups.first_person_followed_by(db, NURSE)
    if nurse is None or person is None:
        return []
    secretary = lookups.user_by_username(db, "lea.secretariat")
    secretary_id = secretary["id"] if secretary else None
    store = blob_store(settings, plugins)
    with transaction(db):
        for kind, title, day, data, media_type, ext, source, label in _documents(date.today()):
            values = {
                "kind": kind,
                "category": KINDS[kind].category,
                "title": title,
                "document_date": day.isoformat(),
                "media_type": media_type,
                "extension": ext,
                "size": len(data),
                "sha256": store.put(data),  # durable before the row, as for an upload
                "original_name": f"{title}.{ext}",
                "series": SERIES if kind == "wound_photo" else "",
                "source": source,
            }
            user_id = nurse["id"] if label == NURSE_LABEL else secretary_id
            storage.add(db, person["structure_id"], person["id"], values, user_id, label)
    return []
