"""The life cycle of a worker's account: invitation, password reset by a one-time link,
deactivation and reactivation, memberships and roles, the network-administration flag.

Every function takes a :class:`~virage.accounts.lifecycle_access.Manager` (who administers, and
what: see that module), checks what it may do, writes, and records the action in the audit trail
(``accounts.*`` codes, labelled in French in :mod:`virage.accounts.action_labels`). The one-time links themselves
(creating, opening, using) are in :mod:`virage.accounts.links`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from virage.access import NETWORK_ADMIN_LABEL, ROLES
from virage.accounts import lifecycle_storage as store
from virage.accounts import links, service, storage
from virage.accounts.lifecycle_access import Manager
from virage.db import transaction, utcnow_iso
from virage.errors import Conflict, InvalidInput, NotFound

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,99}$")
EMAIL = re.compile(r"^[^@\s]{1,100}@[^@\s]{1,100}\.[^@\s]{2,30}$")
RPPS = re.compile(r"^\d{11}$")


@dataclass(frozen=True)
class Invitation:
    user_id: int
    username: str
    token: str
    """The secret of the link (shown once: only its digest is stored)."""
    expires_at: str
    path: str
    """``/invitation/<token>``: put it after the instance's address."""


def _role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"Rôle inconnu « {role} ». Rôles possibles : {', '.join(ROLES)}.")
    return role


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _no_formula(value: str, what: str) -> None:
    """A name that a spreadsheet would run as a formula (in an export of the journal…) is refused."""
    if value.strip().startswith(FORMULA_STARTS):
        raise InvalidInput(
            f"Le champ {what} ne peut pas commencer par « {value.strip()[0]} » (un tableur le "
            "prendrait pour une formule)."
        )


def clean_account(
    username: str, display_name: str, email: str | None, profession: str | None, rpps: str | None
) -> dict:
    """The fields of a new account, checked (``InvalidInput`` in French)."""
    username = (username or "").strip()
    if not USERNAME.match(username):
        raise InvalidInput(
            "L'identifiant doit compter de 2 à 100 caractères : lettres sans accent, chiffres, "
            "points, tirets (par exemple « marie.dupont »)."
        )
    display_name = " ".join((display_name or "").split())
    if not display_name or len(display_name) > 150:
        raise InvalidInput("Indiquez le nom de la personne (150 caractères au plus).")
    _no_formula(display_name, "nom")
    _no_formula(profession or "", "profession")
    email = (email or "").strip() or None
    if email and not EMAIL.match(email):
        raise InvalidInput(f"L'adresse « {email[:60]} » n'est pas une adresse de courriel.")
    rpps = (rpps or "").replace(" ", "") or None
    if rpps and not RPPS.match(rpps):
        raise InvalidInput("Le numéro RPPS compte 11 chiffres.")
    profession = " ".join((profession or "").split())[:100] or None
    return {
        "username": username,
        "display_name": display_name,
        "email": email,
        "profession": profession,
        "rpps": rpps,
    }


def invite(
    manager: Manager,
    *,
    username: str,
    display_name: str,
    structure_id: int,
    role: str,
    email: str | None = None,
    profession: str | None = None,
    rpps: str | None = None,
) -> Invitation:
    """Create an account without a password, member of ``structure_id`` with ``role``, and its
    invitation link (valid :data:`links.INVITATION_LIFETIME`)."""
    fields = clean_account(username, display_name, email, profession, rpps)
    manager.require_structure(structure_id)
    _role(role)
    with transaction(manager.db):
        user_id = service.create_user(
            manager.db, password=None, structure_id=structure_id, role=role, **fields
        )
        token, expires_at = links.create(manager.db, user_id, "invitation", manager.user_id)
        manager.audit(
            "accounts.invited",
            structure_id=structure_id,
            target=f"user:{user_id}",
            details={"identifiant": fields["username"], "role": role},
        )
    return Invitation(
        user_id, fields["username"], token, expires_at, links.path("invitation", token)
    )


def reset_link(manager: Manager, user_id: int) -> tuple[str, str]:
    """A new one-time link to choose a password (the account's earlier links stop working):
    ``(path, expires_at)``. An invited account that never used its invitation gets a new
    invitation instead."""
    user = manager.require_account(user_id, "accounts.reset_link")
    if user["is_network_admin"] and not manager.network:
        manager.refuse(
            "accounts.reset_link",
            user_id,
            "Seule l'administration du réseau peut agir sur le compte d'un administrateur du réseau.",
        )
    if not user["active"]:
        raise Conflict("Ce compte est désactivé : réactivez-le d'abord.")
    purpose = "invitation" if user["password_hash"] == store.NO_PASSWORD else "reset"
    with transaction(manager.db):
        token, expires_at = links.create(manager.db, user_id, purpose, manager.user_id)
        manager.audit(
            "accounts.invited" if purpose == "invitation" else "accounts.reset_link",
            target=f"user:{user_id}",
            details={"nouveau_lien": True},
        )
    return links.path(purpose, token), expires_at


# --------------------------------------------------------------------------- state


def _guard_state_change(manager: Manager, user: dict, action: str) -> None:
    user_id = user["id"]
    if manager.user_id == user_id:
        manager.refuse(action, user_id, "Vous ne pouvez pas changer l'état de votre propre compte.")
    if user["is_network_admin"] and not manager.network:
        manager.refuse(
            action,
            user_id,
            "Seule l'administration du réseau peut agir sur le compte d'un administrateur du réseau.",
        )
    if not manager.network:
        others = set(storage.memberships_of(manager.db, user_id)) - manager.structures
        if others:
            manager.refuse(
                action,
                user_id,
                "Ce compte appartient aussi à d'autres structures : seule l'administration du "
                "réseau peut le désactiver. Retirez-le plutôt de votre structure.",
            )


def deactivate(manager: Manager, user_id: int) -> dict:
    """Deactivate: every session closed and API token revoked at once, links revoked, log-in
    refused with a clear sentence. Nothing is deleted: what the person wrote stays hers.
    Returns ``{"sessions": n, "jetons": n}``."""
    user = manager.require_account(user_id, "accounts.deactivated")
    _guard_state_change(manager, user, "accounts.deactivated")
    if not user["active"]:
        raise Conflict("Ce compte est déjà désactivé.")
    db = manager.db
    if user["is_network_admin"] and store.active_network_admins(db) == [user_id]:
        manager.refuse(
            "accounts.deactivated",
            user_id,
            "C'est le dernier compte actif de l'administration du réseau : donnez d'abord ce "
            "rôle à quelqu'un d'autre.",
        )
    with transaction(db):
        sessions = store.count_sessions(db, user_id, "")
        store.set_active(db, user_id, False, manager.user_id)
        storage.delete_sessions_of(db, user_id)
        tokens = store.revoke_tokens_of(db, user_id)
        store.revoke_links_of(db, user_id)
        counts = {"sessions": sessions, "jetons": tokens}
        manager.audit("accounts.deactivated", target=f"user:{user_id}", details=counts)
    return counts


def reactivate(manager: Manager, user_id: int) -> None:
    """Reactivate: she logs in again with her password (her API tokens stay revoked)."""
    user = manager.require_account(user_id, "accounts.reactivated")
    _guard_state_change(manager, user, "accounts.reactivated")
    if user["active"]:
        raise Conflict("Ce compte est déjà actif.")
    with transaction(manager.db):
        store.set_active(manager.db, user_id, True, None)
        manager.audit("accounts.reactivated", target=f"user:{user_id}")


# --------------------------------------------------------------------------- memberships


def _guard_membership(manager: Manager, user: dict, structure_id: int, action: str) -> None:
    manager.require_structure(structure_id)
    if user["is_network_admin"] and not manager.network:
        manager.refuse(
            action,
            user["id"],
            "Seule l'administration du réseau peut agir sur le compte d'un administrateur du réseau.",
        )
    if manager.user_id == user["id"] and not manager.network:
        manager.refuse(
            action,
            user["id"],
            "Vous ne pouvez pas changer votre propre rôle : demandez-le à l'administration du "
            "réseau.",
        )


def add_membership(manager: Manager, user_id: int, structure_id: int, role: str) -> None:
    """Add the account to a further structure with ``role``."""
    user = manager.require_account(user_id, "accounts.membership.added")
    _role(role)
    _guard_membership(manager, user, structure_id, "accounts.membership.added")
    if structure_id in storage.memberships_of(manager.db, user_id):
        raise Conflict("Ce compte fait déjà partie de cette structure : changez plutôt son rôle.")
    with transaction(manager.db):
        storage.add_membership(manager.db, user_id, structure_id, role)
        manager.audit(
            "accounts.membership.added",
            structure_id=structure_id,
            target=f"user:{user_id}",
            details={"role": role},
        )


def change_role(manager: Manager, user_id: int, structure_id: int, role: str) -> None:
    user = manager.require_account(user_id, "accounts.membership.role")
    _role(role)
    _guard_membership(manager, user, structure_id, "accounts.membership.role")
    before = storage.memberships_of(manager.db, user_id).get(structure_id)
    if before is None:
        raise NotFound("Ce compte ne fait pas partie de cette structure.")
    if before == role:
        return
    with transaction(manager.db):
        storage.add_membership(manager.db, user_id, structure_id, role)
        manager.audit(
            "accounts.membership.role",
            structure_id=structure_id,
            target=f"user:{user_id}",
            details={"avant": before, "apres": role},
        )


def remove_membership(manager: Manager, user_id: int, structure_id: int) -> None:
    """Remove the account from a structure (its history there stays in the journal; its API
    tokens for that structure are revoked)."""
    user = manager.require_account(user_id, "accounts.membership.removed")
    _guard_membership(manager, user, structure_id, "accounts.membership.removed")
    before = storage.memberships_of(manager.db, user_id).get(structure_id)
    if before is None:
        raise NotFound("Ce compte ne fait pas partie de cette structure.")
    with transaction(manager.db):
        store.remove_membership(manager.db, user_id, structure_id)
        tokens = store.revoke_tokens_of_structure(manager.db, user_id, structure_id)
        manager.audit(
            "accounts.membership.removed",
            structure_id=structure_id,
            target=f"user:{user_id}",
            details={"role": before, "jetons_revoques": tokens},
        )


def set_network_admin(manager: Manager, user_id: int, flag: bool) -> None:
    """Grant or withdraw the network administration (network administrators only; never the last
    active one)."""
    if not manager.network:
        manager.refuse(
            "accounts.network_admin",
            user_id,
            f"Seule l'administration du réseau peut donner ou retirer le rôle « {NETWORK_ADMIN_LABEL} ».",
        )
    user = manager.require_account(user_id, "accounts.network_admin")
    if bool(user["is_network_admin"]) == flag:
        return
    if not flag and store.active_network_admins(manager.db) == [user_id]:
        manager.refuse(
            "accounts.network_admin",
            user_id,
            "C'est le dernier compte actif de l'administration du réseau : le réseau doit en "
            "garder au moins un.",
        )
    with transaction(manager.db):
        store.set_network_admin(manager.db, user_id, flag)
        manager.audit("accounts.network_admin", target=f"user:{user_id}", details={"accorde": flag})


# --------------------------------------------------------------------------- reading


def list_accounts(
    manager: Manager,
    *,
    structure_id: int | None = None,
    role: str | None = None,
    state: str = "actifs",
    search: str | None = None,
) -> list[dict]:
    """The accounts this administrator may see, with the memberships she sees (``memberships``:
    ``[{structure_id, structure, role}]``). ``state``: ``actifs``, ``inactifs`` or ``tous``."""
    if structure_id is not None:
        manager.require_structure(structure_id)
    rows = store.list_accounts(
        manager.db,
        structure_ids=None if manager.network else sorted(manager.structures),
        structure_id=structure_id,
        role=role if role in ROLES else None,
        active={"actifs": True, "inactifs": False}.get(state),
        search=(search or "").strip()[:100] or None,
    )
    by_user: dict[int, list[dict]] = {r["id"]: [] for r in rows}
    for m in store.memberships_with_names(manager.db, list(by_user)):
        if manager.may_structure(m["structure_id"]):
            by_user[m["user_id"]].append(m)
    for r in rows:
        r["memberships"] = by_user[r["id"]]
    manager.audit(
        "accounts.listed",
        structure_id=structure_id,
        details={"filtres": {"role": role, "etat": state, "recherche": bool(search)}},
    )
    return rows


def account(manager: Manager, user_id: int) -> dict:
    """One account as its administrator sees it: the account, its visible memberships, its open
    sessions count, its API tokens in her structures, its pending link."""
    user = manager.require_account(user_id, "accounts.viewed")
    db, now = manager.db, utcnow_iso()
    memberships = [
        m
        for m in store.memberships_with_names(db, [user_id])
        if manager.may_structure(m["structure_id"])
    ]
    tokens = [
        t
        for t in store.tokens_of_user(db, user_id)
        if manager.network or t["structure_id"] in manager.structures
    ]
    hidden = len(storage.memberships_of(db, user_id)) - len(memberships)
    manager.audit("accounts.viewed", target=f"user:{user_id}")
    return {
        "user": {k: v for k, v in user.items() if k != "password_hash"},
        "invited": user["password_hash"] == store.NO_PASSWORD,
        "memberships": memberships,
        "other_structures": hidden,
        "sessions": store.count_sessions(db, user_id, now),
        "tokens": tokens,
        "link": store.pending_link(db, user_id, now),
        "deactivated_by": _name(db, user["deactivated_by"]),
    }


def _name(db, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = storage.get_user(db, user_id)
    return user["display_name"] if user else None


def structures_for(manager: Manager) -> list[dict]:
    """The structures this administrator may add accounts to."""
    ids = None if manager.network else sorted(manager.structures)
    return storage.list_structures(manager.db, ids)
