"""Who may administer which accounts: the network administration every account, a director the
accounts of the structures she directs (``accounts.manage``), nobody else.

A :class:`Manager` is the access decision of one administrator for one request (or the command
line, which acts as the network administration). The life-cycle services
(:mod:`virage.accounts.lifecycle`) take one and never decide on their own:

- an account is *visible* to a director when it has a membership in one of her structures, and she
  sees only those memberships; any other account is « introuvable » (its existence is not
  revealed);
- a director acts only on her structures' memberships, never on a network administrator's
  account, never on her own account's state or role;
- deactivating an account that also belongs to a structure she does not direct is refused to a
  director: she removes it from her structure instead (the other structures still need it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from virage.access import Actor
from virage.accounts import storage
from virage.accounts.context import AccessContext
from virage.audit.service import record
from virage.db import Database
from virage.errors import Forbidden, NotFound

ACCOUNT_NOT_FOUND = "Ce compte n'existe pas ou ne vous est pas accessible."
NOT_ALLOWED = (
    "L'administration des comptes est réservée à l'administration du réseau et à la direction "
    "des structures."
)
CLI_LABEL = "ligne de commande"


@dataclass(frozen=True)
class Manager:
    """An administrator of accounts for one request (or the command line: ``actor`` is ``None``)."""

    db: Database
    actor: Actor | None
    network: bool
    """The network administration: every account, every structure."""
    structures: frozenset[int]
    """The structures she directs (all of them when ``network``)."""
    route: str = ""

    @property
    def user_id(self) -> int | None:
        return self.actor.user_id if self.actor else None

    def may_structure(self, structure_id: int) -> bool:
        return self.network or structure_id in self.structures

    def require_structure(self, structure_id: int) -> dict:
        structure = storage.get_structure(self.db, structure_id)
        if structure is None or not self.may_structure(structure_id):
            self.audit(
                "accounts.structure.refused",
                outcome="denied",
                target=f"structure:{structure_id}",
                details={"raison": "structure hors de votre direction"},
            )
            raise NotFound("Cette structure n'existe pas ou vous ne la dirigez pas.")
        return structure

    def visible_memberships(self, user_id: int) -> dict[int, str]:
        """The account's memberships this administrator sees (hers only, for a director)."""
        memberships = storage.memberships_of(self.db, user_id)
        if self.network:
            return memberships
        return {sid: role for sid, role in memberships.items() if sid in self.structures}

    def require_account(self, user_id: int, action: str) -> dict:
        """The account, or ``NotFound`` (audited) when it does not exist or is out of reach."""
        user = storage.get_user(self.db, user_id)
        if user is None or not (self.network or self.visible_memberships(user_id)):
            self.audit(
                action,
                outcome="denied",
                target=f"user:{user_id}",
                details={"raison": "compte inconnu ou hors de vos structures"},
            )
            raise NotFound(ACCOUNT_NOT_FOUND)
        return user

    def refuse(self, action: str, user_id: int | None, reason: str, **details: Any) -> None:
        """Record the refusal and raise ``Forbidden`` with ``reason`` (French)."""
        self.audit(
            action,
            outcome="denied",
            target=f"user:{user_id}" if user_id is not None else None,
            details={"raison": reason, **details},
        )
        raise Forbidden(reason)

    def audit(
        self,
        action: str,
        *,
        structure_id: int | None = None,
        target: str | None = None,
        details: dict[str, Any] | None = None,
        outcome: str = "allowed",
    ) -> None:
        record(
            self.db,
            self.actor,
            action,
            structure_id=structure_id,
            target=target,
            route=self.route,
            outcome=outcome,
            details=details,
            actor_label=None if self.actor else CLI_LABEL,
        )


def manager_for(access: AccessContext) -> Manager:
    """The administrator of this request, or ``Forbidden`` (audited) for anybody else.

    A bearer token never administers accounts: these are pages for a person at her desk.
    """
    actor = access.require_login()
    if actor.via == "token":
        access.audit("accounts.manage", outcome="denied", details={"raison": "jeton d'API"})
        raise Forbidden(NOT_ALLOWED)
    if access.allowed("structures.manage"):
        return Manager(access.db, actor, True, frozenset(), access.route)
    directed = frozenset(
        sid for sid in actor.memberships if access.allowed("accounts.manage", structure_id=sid)
    )
    if not directed:
        access.audit("accounts.manage", outcome="denied", details={"raison": "rôle"})
        raise Forbidden(NOT_ALLOWED)
    return Manager(access.db, actor, False, directed, access.route)


def may_manage(access: AccessContext) -> bool:
    """For display (a link in a menu): would :func:`manager_for` accept this request? Writes nothing."""
    actor = access.actor
    if actor is None or actor.via == "token":
        return False
    return access.allowed("structures.manage") or any(
        access.allowed("accounts.manage", structure_id=sid) for sid in actor.memberships
    )


def command_line(db: Database) -> Manager:
    """The command line acts as the network administration (who runs it runs the server)."""
    return Manager(db, None, True, frozenset(), "ligne de commande")
