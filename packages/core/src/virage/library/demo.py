"""The demo territory's library (``virage demo``): at Paul's SSIAD, two folders and three small
generated PDFs — a night procedure and an on-call contact sheet « à emporter », a fall-prevention
protocol in two versions. All fictitious."""

from __future__ import annotations

from virage.accounts import lookups
from virage.db import Database, transaction
from virage.documents.blobs import blob_store
from virage.library import storage, text
from virage.library.pdf import simple_pdf

NURSE = "paul.infirmier"
BY = "Inès Roussel (ines.coordination)"

DOCUMENTS = (
    (
        "Procédures",
        "Procédure de nuit",
        "procedure",
        True,
        [
            [
                "Procédure de nuit — SSIAD (document fictif de démonstration)",
                "1. Une personne ne répond pas : appeler l'astreinte de coordination.",
                "2. Chute sans blessure apparente : ne pas relever seul, appeler l'astreinte.",
                "3. Noter la visite et la transmission dans Virage dès le retour du réseau.",
            ]
        ],
    ),
    (
        "Procédures",
        "Protocole de prévention des chutes",
        "protocole",
        False,
        [["Protocole de prévention des chutes (version 1, fictive)", "Repérer les tapis."]],
        [
            [
                "Protocole de prévention des chutes (version 2, fictive)",
                "Repérer les tapis, l'éclairage de nuit et les chaussures.",
            ]
        ],
    ),
    (
        "Fiches contacts",
        "Numéros d'astreinte",
        "contacts",
        True,
        [
            [
                "Numéros d'astreinte (fictifs)",
                "Coordination : 01 00 00 00 00",
                "Direction : 01 00 00 00 01",
            ]
        ],
    ),
)


def create(db: Database, settings, plugins) -> list[str]:
    person = lookups.first_person_followed_by(db, NURSE)
    if person is None:
        return []
    structure_id = person["structure_id"]
    store = blob_store(settings, plugins)
    folders: dict[str, int] = {}
    with transaction(db):
        for name, title, kind, takeaway, *versions in DOCUMENTS:
            if name not in folders:
                folders[name] = storage.add_folder(db, structure_id, None, name, 1, BY)
            doc = storage.add_document(db, structure_id, folders[name], title, kind)
            for number, pages in enumerate(versions, start=1):
                data = simple_pdf(pages)
                extracted = text.pdf_text(data)
                storage.add_version(
                    db,
                    doc,
                    {
                        "filename": f"{text.normalise(title).replace(' ', '-')}-v{number}.pdf",
                        "media_type": "application/pdf",
                        "size": len(data),
                        "sha256": store.put(data),
                        "text": extracted,
                    },
                    None,
                    BY,
                    text.normalise(f"{title} {extracted}"),
                )
            if takeaway:
                storage.set_takeaway(db, doc, True)
    return []
