"""Managing the organisational inboxes (the direction, ``inboxes.manage``): name, kind, external
address, who reads and answers, minutes before escalation, manager."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from virage.access import ROLES
from virage.accounts import lookups
from virage.accounts.context import AccessContext
from virage.errors import Conflict, InvalidInput, NotFound
from virage.inboxes import clock, storage
from virage.inboxes.model import (
    DEFAULT_CLAIM_MINUTES,
    DEFAULT_READER_ROLES,
    KINDS,
    MAX_ADDRESS,
    MAX_CLAIM_MINUTES,
    MAX_INBOXES,
    MAX_NAME,
    MIN_CLAIM_MINUTES,
)

_ADDRESS = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[a-z]{2,}$", re.IGNORECASE)


class InboxSettings(BaseModel):
    """The settings of an inbox, as the direction writes them."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME)
    kind: str = Field(default="on_call", max_length=20)
    external_address: str | None = Field(default=None, max_length=MAX_ADDRESS)
    reader_roles: list[str] = Field(default=list(DEFAULT_READER_ROLES), max_length=len(ROLES))
    reader_user_ids: list[int] = Field(default=[], max_length=200)
    claim_minutes: int = Field(
        default=DEFAULT_CLAIM_MINUTES, ge=MIN_CLAIM_MINUTES, le=MAX_CLAIM_MINUTES
    )
    manager_user_id: int | None = Field(default=None, ge=1, le=2**62)

    @field_validator("name", "external_address", mode="before")
    @classmethod
    def _strip(cls, value):
        return value.strip() if isinstance(value, str) else value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in KINDS:
            raise ValueError("nature inconnue : « on_call » (astreinte) ou « shared » (partagée)")
        return value

    @field_validator("external_address")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not _ADDRESS.match(value):
            raise ValueError("adresse de messagerie invalide (exemple : astreinte@ssiad.fr)")
        return value.lower()

    @field_validator("reader_roles")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        unknown = [r for r in value if r not in ROLES]
        if unknown:
            raise ValueError(f"rôle inconnu : {unknown[0][:30]}")
        return value


def _values(access: AccessContext, structure_id: int, data: InboxSettings) -> dict:
    members = {m["id"] for m in lookups.members_of(access.db, structure_id)}
    chosen = [u for u in data.reader_user_ids if u in members]
    if len(chosen) != len(set(data.reader_user_ids)):
        raise InvalidInput("Choisissez des professionnels de la structure comme destinataires.")
    if data.manager_user_id is not None and data.manager_user_id not in members:
        raise InvalidInput("Le ou la responsable doit être un professionnel de la structure.")
    if data.external_address:
        other = storage.inbox_by_address(access.db, data.external_address)
        if other is not None:
            raise Conflict("Cette adresse est déjà celle d'une autre boîte.")
    return {
        "name": data.name,
        "kind": data.kind,
        "external_address": data.external_address,
        "reader_roles": ",".join(dict.fromkeys(data.reader_roles)),
        "reader_user_ids": ",".join(str(u) for u in dict.fromkeys(chosen)),
        "claim_minutes": data.claim_minutes,
        "manager_user_id": data.manager_user_id,
    }


def create(access: AccessContext, structure_id: int, data: InboxSettings) -> int:
    """Create an inbox in a structure (the direction)."""
    access.require(
        "inboxes.manage",
        structure_id=structure_id,
        action="inboxes.created",
        details={"nom": data.name},
    )
    if len(storage.inboxes_of(access.db, [structure_id], MAX_INBOXES + 1)) >= MAX_INBOXES:
        raise Conflict(f"Une structure a au plus {MAX_INBOXES} boîtes.")
    values = _values(access, structure_id, data)
    return storage.create_inbox(access.db, structure_id, values, clock.now_iso())


def update(access: AccessContext, inbox_id: int, data: InboxSettings) -> None:
    """Change an inbox's settings (the direction)."""
    inbox = storage.inbox(access.db, inbox_id)
    actor = access.require_login()
    if inbox is None or actor.role_in(inbox["structure_id"]) is None:
        raise NotFound("Cette boîte n'existe pas ou ne vous est pas accessible.")
    access.require(
        "inboxes.manage",
        structure_id=inbox["structure_id"],
        action="inboxes.updated",
        target=f"inbox:{inbox_id}",
    )
    if data.external_address and data.external_address == inbox["external_address"]:
        data = data.model_copy(update={"external_address": None})
        values = _values(access, inbox["structure_id"], data)
        values["external_address"] = inbox["external_address"]
    else:
        values = _values(access, inbox["structure_id"], data)
    storage.update_inbox(access.db, inbox_id, values)


def seed(db, structure_id: int, data: InboxSettings) -> int:
    """Create an inbox without a request (demo data, tests)."""
    values = {
        "name": data.name,
        "kind": data.kind,
        "external_address": data.external_address,
        "reader_roles": ",".join(data.reader_roles),
        "reader_user_ids": ",".join(str(u) for u in data.reader_user_ids),
        "claim_minutes": data.claim_minutes,
        "manager_user_id": data.manager_user_id,
    }
    return storage.create_inbox(db, structure_id, values, clock.now_iso())
