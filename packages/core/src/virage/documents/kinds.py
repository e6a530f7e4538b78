"""Kinds of a person's documents, each administrative (secretariat and care team) or care (the
care team only, like the health notes), and the labels of their journal entries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    category: str  # "admin" or "care"


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("contract", "Contrat de prise en charge", "admin"),
        Kind("consent", "Consentement, autorisation", "admin"),
        Kind("identity", "Pièce administrative (identité, droits, attestation)", "admin"),
        Kind("other", "Autre document administratif", "admin"),
        Kind("prescription", "Prescription, ordonnance", "care"),
        Kind("report", "Compte rendu, bilan", "care"),
        Kind("wound_photo", "Photo de plaie (suivi)", "care"),
    )
}
ADMIN_KINDS = tuple(k for k, v in KINDS.items() if v.category == "admin")
CARE_KINDS = tuple(k for k, v in KINDS.items() if v.category == "care")

#: What may be received: PDFs, photos and images, office documents (without macros).
ALLOWED_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heic",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
}
#: What the file input offers (the server checks the content anyway).
ACCEPT = ".pdf,.jpg,.jpeg,.png,.webp,.heic,.docx,.xlsx,.odt,.ods,image/*,application/pdf"

#: Why a document is withdrawn (removed from the file, not kept like an archived one). A fixed
#: list: the journal says why without free text, which could carry health content.
WITHDRAW_REASONS = {
    "autre_personne": "Classé dans le dossier d'une autre personne",
    "doublon": "Ajouté en double",
    "illisible": "Photo ratée ou fichier illisible",
}

INBOX_STATUSES = {"a_classer": "À classer", "classe": "Classé"}

AUDIT_LABELS = {
    "documents.list": "Documents d'une personne consultés (liste)",
    "documents.care.list": "Documents de soins d'une personne consultés (liste)",
    "documents.read": "Document d'une personne ouvert",
    "documents.care.read": "Document de soins d'une personne ouvert",
    "documents.add": "Document ajouté au dossier d'une personne",
    "documents.care.add": "Document de soins ajouté au dossier d'une personne",
    "documents.refused": "Document refusé à l'envoi (type, taille, contenu, antivirus)",
    "documents.archive": "Document d'une personne archivé",
    "documents.care.archive": "Document de soins d'une personne archivé",
    "documents.withdraw": "Document d'une personne retiré (classé par erreur, en double…)",
    "documents.care.withdraw": "Document de soins d'une personne retiré (classé par erreur…)",
    "documents.send": "Document envoyé au siège (à classer)",
    "documents.inbox.read": "Documents à classer du siège consultés",
    "documents.inbox.file": "Document envoyé au siège classé",
    "documents.export": "Documents d'une personne exportés (FHIR)",
    "documents.import": "Documents d'une personne importés (FHIR)",
}
