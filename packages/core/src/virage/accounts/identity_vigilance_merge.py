"""Merge a duplicate record into the record kept (``persons.merge``: direction, coordination).

Both records must be active and of the same structure. The core moves what the accounts domain
holds (care team, objections to sharing); every domain or plugin that holds person data moves
its own through the hook ``persons_merged`` (entourage, agenda, transmissions, file, and the
plugins holding person data), inside the merge's transaction: if one implementation fails, the
whole merge is rolled back (nothing half-merged) with a French message naming it. The duplicate is
then closed, with a pointer to the record kept; both records' journals say who merged them and why.
"""

from __future__ import annotations

from virage.accounts import identity_vigilance_storage as store
from virage.accounts import storage
from virage.accounts.context import AccessContext, clean_reason
from virage.db import transaction
from virage.errors import Conflict, InvalidInput

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
    with transaction(access.db):
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
