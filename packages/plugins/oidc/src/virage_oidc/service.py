"""Links between a provider identity and an account: who may see and change them, with the
journal; and the account a log-in opens.

Who manages links: the network administration for every account; a director for the accounts of
her structures (permission ``oidc.links.manage``). Nobody else. No account is ever created here:
an identity without a link is refused at log-in, and an administrator links it, deliberately.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from virage.sdk import (
    AccessContext,
    Conflict,
    Database,
    Forbidden,
    InvalidInput,
    NotFound,
    accounts,
    directory,
    transaction,
)
from virage_oidc import storage
from virage_oidc.config import OidcConfig

PERMISSION = "oidc.links.manage"
NOT_YOURS = "Ce compte n'existe pas ou ne vous est pas accessible."
_RPPS = re.compile(r"8?(\d{11})")


@dataclass(frozen=True)
class Scope:
    """The accounts an administrator may link: ``None`` means every account (network)."""

    structure_ids: list[int] | None


def scope_of(access: AccessContext) -> Scope:
    """Refuse (and record) whoever may manage no link; otherwise her scope."""
    actor = access.require_login()
    if actor.is_network_admin and actor.via == "session":
        access.audit(PERMISSION, details={"portee": "réseau"})
        return Scope(None)
    mine = [sid for sid in actor.structure_ids if access.allowed(PERMISSION, structure_id=sid)]
    if not mine:
        # The refusal is recorded by ``require`` with the reason of the first structure.
        first = actor.structure_ids[0] if actor.structure_ids else None
        if first is None:
            access.audit(PERMISSION, outcome="denied", details={"raison": "aucune structure"})
            raise Forbidden(
                "Cette page est réservée à la direction et à l'administration du réseau."
            )
        access.require(PERMISSION, structure_id=first)
    for sid in mine:
        access.require(PERMISSION, structure_id=sid)
    return Scope(mine)


def _structures_of(db: Database, user: dict) -> set[int]:
    return set(accounts.actor_for_user(db, user).memberships)


def require_account(access: AccessContext, scope: Scope, user_id: int) -> dict:
    """An account the administrator may link, or ``NotFound`` (recorded): another structure's
    account is not even said to exist."""
    user = accounts.user(access.db, user_id)
    if user is not None and (
        scope.structure_ids is None or _structures_of(access.db, user) & set(scope.structure_ids)
    ):
        return user
    access.audit(
        "oidc.link", outcome="denied", target=f"user:{user_id}", details={"raison": "hors portée"}
    )
    raise NotFound(NOT_YOURS)


def accounts_in_scope(access: AccessContext, scope: Scope) -> list[dict]:
    """The (active) accounts of the scope, by name, each once."""
    db = access.db
    ids = scope.structure_ids
    if ids is None:
        ids = [s["id"] for s in accounts.structures(db)]
    seen: dict[int, dict] = {}
    for sid in ids:
        for member in accounts.members_of(db, sid):
            seen.setdefault(member["id"], member)
    return sorted(seen.values(), key=lambda u: (u["display_name"].lower(), u["id"]))


def normalize(cfg: OidcConfig, raw: str) -> str:
    """What the administrator typed → the identifier the provider sends. Pro Santé Connect: an
    RPPS number (11 digits) or the national identifier (« 8 » and the RPPS)."""
    value = (raw or "").strip().replace(" ", "")
    if not cfg.is_psc:
        if not value or len(value) > 255:
            raise InvalidInput("Indiquez l'identifiant de la personne chez le fournisseur.")
        return value
    match = _RPPS.fullmatch(value)
    if not match:
        raise InvalidInput(
            "Indiquez le numéro RPPS de la personne : 11 chiffres (il figure sur sa carte CPS ou "
            "sa e-CPS, et dans l'annuaire santé)."
        )
    problem = directory.rpps_problem(match.group(1))
    if problem:
        raise InvalidInput(problem)
    return "8" + match.group(1)


def professional(db: Database, cfg: OidcConfig, identifier: str) -> dict | None:
    """The directory's professional of this national identifier (Pro Santé Connect only)."""
    if not cfg.is_psc:
        return None
    return directory.professional_by_idnps(db, identifier)


def link(access: AccessContext, cfg: OidcConfig, user_id: int, raw: str) -> dict:
    """Link an account to an identity (recorded); refuse an identity already linked elsewhere, an
    account already linked, or an RPPS number other than the one the account carries."""
    scope = scope_of(access)
    user = require_account(access, scope, user_id)
    identifier = normalize(cfg, raw)
    db = access.db
    target = f"user:{user['id']}"
    if not user["active"]:
        raise Conflict("Ce compte est désactivé : rouvrez-le avant de le relier.")
    if user.get("rpps") and cfg.is_psc and "8" + user["rpps"] != identifier:
        access.audit("oidc.link", outcome="denied", target=target,
                     details={"identifiant": identifier, "raison": "RPPS différent"})  # fmt: skip
        raise Conflict(
            f"Ce compte porte le numéro RPPS {user['rpps']} : il ne peut être relié qu'à cette "
            "identité. Corrigez d'abord le numéro du compte s'il est faux."
        )
    other = storage.link_for(db, cfg.issuer, identifier)
    if other is not None:
        raise Conflict("Cette identité est déjà reliée à un autre compte : déliez-la d'abord.")
    if storage.link_of_user(db, cfg.issuer, user["id"]) is not None:
        raise Conflict("Ce compte est déjà relié à une identité : déliez-la d'abord.")
    # The checks above are outside the transaction: a refusal's journal entry is not rolled back.
    with transaction(db):
        link_id = storage.add_link(db, user["id"], cfg.issuer, identifier, access.actor.user_id)
        access.audit(
            "oidc.link",
            target=target,
            details={"identifiant": identifier, "fournisseur": cfg.issuer, "lien": link_id},
        )
        return storage.get_link(db, link_id)


def unlink(access: AccessContext, cfg: OidcConfig, link_id: int) -> None:
    scope = scope_of(access)
    row = storage.get_link(access.db, link_id)
    if row is None:
        raise NotFound("Ce lien n'existe plus.")
    require_account(access, scope, row["user_id"])
    with transaction(access.db):
        storage.delete_link(access.db, link_id)
        access.audit(
            "oidc.unlink",
            target=f"user:{row['user_id']}",
            details={"identifiant": row["identifier"], "fournisseur": row["issuer"]},
        )


def account_for(db: Database, cfg: OidcConfig, identifier: str) -> dict | None:
    """The account this identity opens (deactivated or not), or ``None`` when none is linked."""
    row = storage.link_for(db, cfg.issuer, identifier)
    return accounts.user(db, row["user_id"]) if row else None
