"""The structures' administration: who administers which structure, and what they may change.

- The **network administrator** administers every structure: she creates them, edits their
  description (name, kind, commune), links them to their directory entry (FINESS), closes and
  reopens them, and changes their settings. She is in no care team: nothing here reads or shows a
  person's data (the structure page counts members, never persons).
- A **director** (``structures.settings`` in the structure) administers her own structures only:
  she corrects their name and commune, links them to their directory entry and changes their
  settings; she neither creates, closes, reopens nor changes the kind of a structure.

**Closing** a structure sets ``closed_at``; nothing is deleted (its data is kept for its retention
period). From that moment its members can no longer act in it (their role there is ignored when
their account is loaded, at the next click), and its API tokens are revoked. Reopening gives the
members their roles back; tokens stay revoked (new ones are created). Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from virage.accounts import storage
from virage.accounts import structure_admin_storage as admin_store
from virage.accounts.context import AccessContext
from virage.db import transaction, utcnow_iso
from virage.directory import lookups as directory
from virage.directory.search import SearchParams, search_structures
from virage.errors import Conflict, Forbidden, InvalidInput, NotFound

NETWORK = "structures.manage"
DIRECTOR = "structures.settings"
HIDDEN = "Cette structure n'existe pas ou ne vous est pas accessible."
#: Kinds proposed in the form (any other short label is accepted).
KINDS = ("SSIAD", "SAAD", "SPASAD", "EHPAD", "IME", "Service social", "Centre hospitalier")


@dataclass(frozen=True)
class Administrator:
    """How the actor administers a structure: ``"network"`` (everything) or ``"director"``."""

    level: Literal["network", "director"]

    @property
    def network(self) -> bool:
        return self.level == "network"


class StructureForm(BaseModel):
    name: str = Field(default="", max_length=200)
    kind: str = Field(default="", max_length=60)
    commune: str = Field(default="", max_length=120)


def is_network_admin(access: AccessContext) -> bool:
    return access.actor is not None and access.allowed(NETWORK)


def administered_ids(access: AccessContext) -> list[int] | None:
    """The structures the actor administers: ``None`` for all (network), else her direction's."""
    actor = access.require_login()
    if is_network_admin(access):
        return None
    return [sid for sid in actor.structure_ids if access.allowed(DIRECTOR, structure_id=sid)]


def require_admin(access: AccessContext, structure_id: int, action: str) -> Administrator:
    """The network administrator, or the structure's director; 404 for any other structure."""
    access.require_login()
    if is_network_admin(access):
        if storage.get_structure(access.db, structure_id) is None:
            raise NotFound(HIDDEN)
        return Administrator("network")
    access.require(DIRECTOR, structure_id=structure_id, action=action)
    return Administrator("director")


def require_network(access: AccessContext, action: str) -> None:
    access.require(NETWORK, action=action)


def list_for(access: AccessContext) -> list[dict]:
    """The structures the actor administers, with their number of members (403 for others)."""
    ids = administered_ids(access)
    if ids is not None and not ids:
        raise Forbidden(
            "L'administration est réservée à l'administration du réseau et aux directions."
        )
    return admin_store.structures_with_counts(access.db, ids)


def detail(db, structure_id: int) -> dict | None:
    rows = admin_store.structures_with_counts(db, [structure_id])
    if not rows:
        return None
    row = rows[0]
    row["directory"] = (
        directory.structure(db, row["directory_structure_id"])
        if row.get("directory_structure_id")
        else None
    )
    return row


def _clean(form: StructureForm, *, exclude: int | None = None, db=None) -> tuple[str, str, str]:
    name, kind, commune = (" ".join(v.split()) for v in (form.name, form.kind, form.commune))
    if len(name) < 2:
        raise InvalidInput("Donnez le nom de la structure (au moins deux caractères).")
    if not kind:
        raise InvalidInput("Indiquez le type de structure (SSIAD, EHPAD, service social…).")
    if db is not None and admin_store.name_taken(db, name, exclude):
        raise InvalidInput(f"Une structure s'appelle déjà « {name} » : choisissez un autre nom.")
    return name, kind, commune


def create(access: AccessContext, form: StructureForm) -> int:
    require_network(access, "structures.create")
    name, kind, commune = _clean(form, db=access.db)
    with transaction(access.db):
        sid = storage.create_structure(access.db, name, kind, None, commune or None)
        access.audit(
            "structures.created",
            structure_id=sid,
            details={"nom": name, "type": kind, "commune": commune},
        )
    return sid


def update(access: AccessContext, structure_id: int, form: StructureForm) -> None:
    who = require_admin(access, structure_id, "structures.update")
    current = storage.get_structure(access.db, structure_id)
    if not who.network:
        form = form.model_copy(update={"kind": current["kind"]})  # the kind is the network's
    name, kind, commune = _clean(form, exclude=structure_id, db=access.db)
    with transaction(access.db):
        admin_store.update_description(access.db, structure_id, name, kind, commune or None)
        access.audit(
            "structures.updated",
            structure_id=structure_id,
            details={
                "avant": {k: current[k] for k in ("name", "kind", "commune")},
                "apres": {"name": name, "kind": kind, "commune": commune or None},
            },
        )


def directory_candidates(access: AccessContext, structure_id: int, text: str) -> list[dict]:
    """Directory entries matching ``text`` (name, FINESS number, town), through the directory's
    search service: the entries to link the structure to."""
    require_admin(access, structure_id, "structures.link.search")
    text = " ".join((text or "").split())[:200]
    if not text:
        return []
    try:
        result = search_structures(access.db, SearchParams(q=text, open_only=False, per_page=10))
    except InvalidInput:
        return []
    return result.results


def link(access: AccessContext, structure_id: int, directory_id: int | None) -> None:
    """Link the structure to a directory entry (its FINESS number comes with it), or unlink it."""
    require_admin(access, structure_id, "structures.link")
    finess = None
    if directory_id is not None:
        entry = directory.structure(access.db, directory_id)
        if entry is None:
            raise InvalidInput("Cette fiche n'existe pas dans l'annuaire : cherchez-la à nouveau.")
        finess = entry.get("finess")
    with transaction(access.db):
        admin_store.set_directory_link(access.db, structure_id, directory_id, finess)
        access.audit(
            "structures.linked" if directory_id else "structures.unlinked",
            structure_id=structure_id,
            target=f"directory_structure:{directory_id}" if directory_id else None,
            details={"finess": finess},
        )


def close(access: AccessContext, structure_id: int) -> None:
    require_network(access, "structures.close")
    structure = storage.get_structure(access.db, structure_id)
    if structure is None:
        raise NotFound(HIDDEN)
    if structure["closed_at"]:
        raise Conflict("Cette structure est déjà fermée.")
    with transaction(access.db):
        admin_store.set_closed(access.db, structure_id, utcnow_iso())
        revoked = admin_store.revoke_tokens_of_structure(access.db, structure_id)
        access.audit(
            "structures.closed", structure_id=structure_id, details={"jetons_revoques": revoked}
        )


def reopen(access: AccessContext, structure_id: int) -> None:
    require_network(access, "structures.reopen")
    structure = storage.get_structure(access.db, structure_id)
    if structure is None:
        raise NotFound(HIDDEN)
    if not structure["closed_at"]:
        raise Conflict("Cette structure n'est pas fermée.")
    with transaction(access.db):
        admin_store.set_closed(access.db, structure_id, None)
        access.audit("structures.reopened", structure_id=structure_id)
