"""Identity vigilance (référentiel national d'identitovigilance, RNIV): the status of a person's
identity, and the possible duplicates of a structure.

- **provisoire**: nothing checked (no row);
- **récupérée**: the INS was retrieved through the INSi teleservice, no document checked;
- **validée**: a high-trust document was checked (identity card, passport, residence permit; in
  an EHPAD, for a direct admission, a family record book or a birth certificate with the carte
  Vitale bearing a photograph — RNIV volet 1, § 3.3.3);
- **qualifiée**: validated *and* INS retrieved: only then is the INS « qualifiée ».

Changing a strict identity trait (birth name, first names, birth date, sex, INS) drops the
status back to provisional (:func:`traits_changed`, called by :mod:`virage.accounts.persons`).
No copy of an identity document is kept: Virage records the document's type, who checked it and
when — nothing else, and offers no way to upload one.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Any

from virage.accounts import identity_vigilance_storage as store
from virage.accounts import storage
from virage.accounts.context import AccessContext
from virage.db import Database, transaction
from virage.errors import Conflict, InvalidInput

STATUSES = {
    "provisoire": "Identité provisoire",
    "recuperee": "Identité récupérée",
    "validee": "Identité validée",
    "qualifiee": "Identité qualifiée",
}
DOCUMENTS = {
    "carte_identite": "Carte nationale d'identité",
    "passeport": "Passeport",
    "titre_sejour": "Titre de séjour",
}
#: Accepted only in an EHPAD, for a direct admission (RNIV volet 1, § 3.3.3).
EHPAD_DOCUMENTS = {
    "livret_famille_vitale": "Livret de famille, avec la carte Vitale avec photographie",
    "acte_naissance_vitale": "Extrait d'acte de naissance, avec la carte Vitale avec photographie",
}
#: The traits whose change drops the status back to provisional.
STRICT_TRAITS = frozenset({"birth_name", "given_names", "birth_date", "sex", "ins_nir"})


def documents_for(structure: dict | None) -> dict[str, str]:
    if structure and (structure.get("kind") or "").upper() == "EHPAD":
        return {**DOCUMENTS, **EHPAD_DOCUMENTS}
    return dict(DOCUMENTS)


def documents_of(db: Database, person: dict) -> dict[str, str]:
    """The documents that may validate this person's identity in her structure."""
    return documents_for(storage.get_structure(db, person["structure_id"]))


def status_of(db: Database, person: dict) -> dict[str, Any]:
    """The person's identity status, with what it rests on (no personal data beyond the row)."""
    row = store.get(db, person["id"]) or {}
    validated = bool(row.get("validated_at"))
    retrieved = bool(row.get("ins_retrieved_at")) and bool(person.get("ins_nir"))
    code = {
        (True, True): "qualifiee",
        (True, False): "validee",
        (False, True): "recuperee",
        (False, False): "provisoire",
    }[(validated, retrieved)]
    document = row.get("document")
    return {
        "code": code,
        "label": STATUSES[code],
        "document": {**DOCUMENTS, **EHPAD_DOCUMENTS}.get(document, document),
        "validated_by_label": row.get("validated_by_label"),
        "validated_at": row.get("validated_at"),
        "ins_retrieved_by_label": row.get("ins_retrieved_by_label"),
        "ins_retrieved_at": row.get("ins_retrieved_at"),
        "ins_qualified": code == "qualifiee",
    }


def validate(access: AccessContext, person_id: int, document: str) -> None:
    """Record that the identity was checked on ``document`` (its type only, never a copy)."""
    person = access.require(
        "persons.manage",
        person_id=person_id,
        action="persons.identity.validated",
        details={"piece": document},
    )
    if person["status"] == "closed":
        raise Conflict("Ce dossier est clos : il ne peut plus être modifié.")
    structure = storage.get_structure(access.db, person["structure_id"])
    allowed = documents_for(structure)
    if document not in allowed:
        raise InvalidInput(
            "Choisissez la pièce d'identité vérifiée dans la liste"
            + (
                "."
                if document not in EHPAD_DOCUMENTS
                else " : le livret de famille et l'acte de naissance ne valent qu'en EHPAD."
            )
        )
    if not (person.get("birth_date") and person.get("sex")):
        raise InvalidInput(
            "Pour valider l'identité, renseignez d'abord la date de naissance et le sexe, tels "
            "qu'écrits sur la pièce."
        )
    actor = access.require_login()
    with transaction(access.db):
        store.set_validated(access.db, person_id, person["structure_id"], document, actor.label)


def ins_retrieved(access: AccessContext, person_id: int) -> None:
    """Record that the INS was retrieved and checked through the INSi teleservice."""
    person = access.require(
        "persons.manage", person_id=person_id, action="persons.identity.ins_retrieved"
    )
    if person["status"] == "closed":
        raise Conflict("Ce dossier est clos : il ne peut plus être modifié.")
    if not person.get("ins_nir"):
        raise InvalidInput(
            "Enregistrez d'abord le matricule INS renvoyé par le téléservice INSi dans "
            "l'identité de la personne."
        )
    actor = access.require_login()
    with transaction(access.db):
        store.set_ins_retrieved(access.db, person_id, person["structure_id"], actor.label)


def traits_changed(access: AccessContext, person_id: int, before: dict, after: dict) -> None:
    """Drop the status back to provisional when a strict trait changed (audited)."""
    changed = sorted(k for k in STRICT_TRAITS if (before.get(k) or None) != (after.get(k) or None))
    if changed and store.reset(access.db, person_id):
        access.audit(
            "persons.identity.reset",
            structure_id=before["structure_id"],
            person_id=person_id,
            details={"champs": changed},
        )


def normalise(text: str | None) -> str:
    """Accents, case, hyphens and apostrophes set aside: « Marie-Hélène » → « marie helene »."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[-'’ _.,]+", " ", text).split())


def _key(p: dict) -> tuple | None:
    name = normalise(p.get("birth_name") or p.get("family_name"))
    given = normalise(p.get("given_names"))
    if not (name and given and p.get("birth_date")):
        return None
    return (name, given.split(" ")[0], str(p["birth_date"]), p.get("sex") or "")


def duplicate_groups(rows: list[dict]) -> list[list[dict]]:
    """Groups of persons with the same birth name, first first name, birth date and sex."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for p in rows:
        key = _key(p)
        if key is not None:
            groups[key].append(p)
    return [g for g in groups.values() if len(g) > 1]


def duplicates(access: AccessContext, structure_id: int) -> list[list[dict]]:
    """The structure's possible duplicates (persons.manage), audited as one read."""
    access.require("persons.manage", structure_id=structure_id, action="persons.duplicates.read")
    return duplicate_groups(store.identity_traits(access.db, structure_id))


def duplicates_of(db: Database, person: dict) -> list[dict]:
    """Other active persons of her structure that may be the same person."""
    key = _key(person)
    if key is None:
        return []
    return [
        p
        for p in store.identity_traits(db, person["structure_id"])
        if p["id"] != person["id"] and _key(p) == key
    ]
