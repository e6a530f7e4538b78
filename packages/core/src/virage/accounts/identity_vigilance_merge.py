"""Merge a duplicate record into the record kept (``persons.merge``: direction, coordination).

Both records must be active and of the same structure. The core moves what the accounts domain
holds (care team, objections to sharing); every domain or plugin that holds person data moves
its own through the hook ``persons_merged`` (entourage, agenda, transmissions, file, and the
plugins holding person data), inside the merge's transaction: if one implementation fails, the
whole merge is rolled back (nothing half-merged) with a French message naming it. The duplicate is
then closed, with a pointer to the record kept; both records' journals say who merged them and why.

Nothing typed into the duplicate is lost (:func:`carried_over`): its contacts join the kept
record's, its address and phone fill the kept record's when empty, and its health notes are
appended under a line saying where they come from. The kept record's identity traits win.
"""

from __future__ import annotations

import json

from virage.accounts import identity_vigilance_storage as store
from virage.accounts import storage
from virage.accounts.context import AccessContext, clean_reason
from virage.db import transaction, utcnow_iso
from virage.errors import Conflict, InvalidInput
from virage.french import day_text

REASON_HINT = (
    "Indiquez pourquoi ces deux dossiers sont la même personne (au moins 10 caractères, par "
    "exemple la pièce d'identité vérifiée) : le motif est inscrit au journal des accès."
)


def merge(access: AccessContext, kept_id: int, merged_id: int, reason: str) -> None:
    if kept_id == merged_id:
        raise InvalidInput("Choisissez deux dossiers différents.")
    reason = clean_reason(reason, REASON_HINT)
    details = {"conserve": kept_id, "fusionne": merged_id, "motif": reason}
    kept = access.require(
        "persons.merge", person_id=kept_id, action="persons.merged", details=details
    )
    merged = access.require(
        "persons.merge", person_id=merged_id, action="persons.merged", details=details
    )
    if kept["structure_id"] != merged["structure_id"]:
        raise InvalidInput("Seuls deux dossiers de la même structure peuvent être fusionnés.")
    if kept["status"] != "active" or merged["status"] != "active":
        raise Conflict("Un dossier clos ne peut pas être fusionné.")
    changes = carried_over(kept, merged)
    with transaction(access.db):
        if changes:
            storage.update_person(access.db, kept_id, changes)
        store.move_person_rows(access.db, kept_id, merged_id)
        if access.plugins is not None:
            _move_everywhere(access, kept_id, merged_id)
        storage.close_person(access.db, merged_id)


def _move_everywhere(access: AccessContext, kept_id: int, merged_id: int) -> None:
    """Call every ``persons_merged`` implementation; the first failure cancels the merge (the
    caller's transaction rolls back what the others already moved)."""
    plugins = access.plugins
    kwargs = {"access": access, "kept_id": kept_id, "merged_id": merged_id}
    for impl in reversed(plugins.pm.hook.persons_merged.get_hookimpls()):
        try:
            impl.function(**{k: kwargs[k] for k in impl.argnames if k in kwargs})
        except Exception as exc:
            plugins.record_failure(impl.plugin_name, "persons_merged", f"{exc!r:.200}")
            raise Conflict(
                f"La fusion est annulée : le module « {impl.plugin_name} » n'a pas pu rattacher "
                "ses données au dossier conservé. Rien n'a été modifié, les deux dossiers restent "
                "ouverts ; prévenez l'administrateur du réseau puis réessayez."
            ) from exc


#: The most contacts a record holds (the persons' model says the same).
MAX_CONTACTS = 10
#: The longest health notes (the persons' model says the same).
MAX_NOTES = 5000
_FILLED = ("address", "postcode", "city", "phone")


def _contacts(row: dict) -> list[dict]:
    value = row.get("contacts") or []
    return json.loads(value) if isinstance(value, str) else list(value)


def _key(contact: dict) -> tuple[str, str]:
    phone = "".join(ch for ch in str(contact.get("phone") or "") if ch.isdigit())
    return " ".join(str(contact.get("name") or "").lower().split()), phone


def carried_over(kept: dict, merged: dict) -> dict:
    """What of the duplicate's own row goes to the record kept (its fields to change)."""
    changes: dict = {}
    for field in _FILLED:
        if not str(kept.get(field) or "").strip() and str(merged.get(field) or "").strip():
            changes[field] = merged[field]
    contacts = _contacts(kept)
    seen = {_key(c) for c in contacts}
    for contact in _contacts(merged):
        if _key(contact) not in seen:
            contacts.append(contact)
            seen.add(_key(contact))
    if len(contacts) > MAX_CONTACTS:
        raise Conflict(
            f"Les deux dossiers ont ensemble plus de {MAX_CONTACTS} contacts : retirez de l'un "
            "ou de l'autre ceux qui ne servent plus, puis fusionnez. Rien n'a été modifié."
        )
    if len(contacts) != len(_contacts(kept)):
        changes["contacts"] = contacts
    theirs = str(merged.get("health_notes") or "").strip()
    ours = str(kept.get("health_notes") or "").strip()
    if theirs and theirs not in ours:
        heading = (
            f"Repris du dossier en double n° {merged['id']} (fusion du {day_text(utcnow_iso())}) :"
        )
        notes = f"{ours}\n\n{heading}\n{theirs}" if ours else f"{heading}\n{theirs}"
        if len(notes) > MAX_NOTES:
            raise Conflict(
                f"Les informations de santé des deux dossiers dépassent ensemble {MAX_NOTES} "
                "caractères : l'équipe de soins doit d'abord les raccourcir. Rien n'a été modifié."
            )
        changes["health_notes"] = notes
    return changes
