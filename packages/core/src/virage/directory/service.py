"""Use cases of the directory: who may read, detail pages, the network's own fields."""

from __future__ import annotations

import json
import re
from typing import Any

from virage.accounts.context import AccessContext
from virage.directory import storage
from virage.errors import Forbidden, InvalidInput, NotFound

STRUCTURE_NOT_FOUND = "Cette structure n'existe pas dans l'annuaire."
PROFESSIONAL_NOT_FOUND = "Ce professionnel n'existe pas dans l'annuaire."
MAX_EXTRA_FIELDS = 30


def require_read(access: AccessContext) -> None:
    """The directory is registry data: any signed-in user holding ``directory.read`` in one of
    their structures (every role does), and the network administration, may read it."""
    actor = access.require_login()
    if actor.is_network_admin:
        return
    if any(access.allowed("directory.read", structure_id=sid) for sid in actor.structure_ids):
        return
    raise Forbidden(
        "Votre compte n'est rattaché à aucune structure : l'annuaire ne vous est pas ouvert."
    )


def structure_detail(db, sid: int) -> dict[str, Any]:
    row = storage.get_structure(db, sid)
    if row is None:
        raise NotFound(STRUCTURE_NOT_FOUND)
    row["extra"] = json.loads(row["extra"] or "{}")
    row["legal_entity"] = None
    if row["kind"] == "ET" and row["ej_finess"]:
        ej = storage.get_structure_by_finess(db, row["ej_finess"])
        if ej:
            row["legal_entity"] = ej
    row["establishments"] = (
        storage.establishments_of(db, row["finess"])
        if row["kind"] == "EJ" and row["finess"]
        else []
    )
    row["professionals"] = storage.professionals_in(db, sid)
    return row


def structure_by_finess(db, finess: str) -> dict[str, Any]:
    from virage.directory.identifiers import check_finess

    number = check_finess(finess)  # format and check digit (InvalidInput, in French)
    row = storage.get_structure_by_finess(db, number)
    if row is None:
        raise NotFound(f"Aucune structure de numéro FINESS {number} dans l'annuaire.")
    return structure_detail(db, row["id"])


def professional_detail(db, pid: int) -> dict[str, Any]:
    row = storage.get_professional(db, pid)
    if row is None:
        raise NotFound(PROFESSIONAL_NOT_FOUND)
    row["specialties"] = json.loads(row["specialties"] or "[]")
    row["roles"] = storage.roles_of(db, pid)
    row["has_account"] = row["user_id"] is not None
    return row


def professional_by_idnps(db, idnps: str) -> dict[str, Any] | None:
    """The detail of the professional of this national identifier (idNatPs), or ``None``."""
    row = storage.professional_for_import(db, idnps)
    return professional_detail(db, row[0]) if row else None


def get_role(db, role_id: int) -> dict | None:
    """One role of a professional in a structure, or ``None``."""
    return storage.get_role(db, role_id)


# --------------------------------------------------------------------------- lists for the pages
# Registry data: call them after ``require_read`` (or the page's own check).


def find_communes(db, text: str, limit: int = 10) -> list[dict]:
    return storage.find_communes(db, text, limit=limit)


def categories_in_use(db) -> list[dict]:
    return storage.categories_in_use(db)


def professions_in_use(db) -> list[dict]:
    return storage.professions_in_use(db)


def count_structures(db) -> dict[str, int]:
    return storage.count_structures(db)


def last_successful_import(db, source: str) -> dict | None:
    return storage.last_successful_import(db, source)


def list_imports(db) -> list[dict]:
    return storage.list_imports(db)


def parse_extra(text: str) -> dict[str, str]:
    """The network's fields, typed one per line as « Nom : valeur »."""
    out: dict[str, str] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition(":")
        key, value = re.sub(r"\s+", " ", key).strip(), value.strip()
        if not sep or not key or not value:
            raise InvalidInput(
                f"Ligne {number} : écrivez « Nom : valeur », par exemple « Places : 40 »."
            )
        if len(key) > 60 or len(value) > 500:
            raise InvalidInput(f"Ligne {number} : nom (60) ou valeur (500 caractères) trop long.")
        out[key] = value
    if len(out) > MAX_EXTRA_FIELDS:
        raise InvalidInput(f"{MAX_EXTRA_FIELDS} champs au plus.")
    return out


def set_extra(access: AccessContext, sid: int, text: str) -> dict[str, str]:
    access.require("directory.manage", action="directory.extra.update")
    if storage.get_structure(access.db, sid) is None:
        raise NotFound(STRUCTURE_NOT_FOUND)
    extra = parse_extra(text)
    storage.set_structure_extra(access.db, sid, extra)
    access.audit("directory.extra.update", target=f"directory_structure:{sid}", details=extra)
    return extra
