"""The access model of Virage: who may do what, on which structure and which person.

This module is the one place where access rules live. Domains and plugins never re-implement them:
they declare permissions (hook ``register_permissions``) and ask :func:`check` / :func:`require`.

- A **structure** (SSIAD, EHPAD, service social…) owns its data. A user belongs to one or more
  structures with one **role** in each. A bearer token acts for its user in one structure only.
- A **permission** is granted to roles. Its ``scope`` says what more is needed:
  ``"structure"``: the role in the target structure is enough;
  ``"care_team"``: the user must also be in the person's care team, or hold a role listed in
  ``without_team`` (coordinators), or have an active emergency access ("bris de glace");
  ``"network"``: network administrators only.
- Every refusal, and every access to personal data, is written to the audit trail by the caller
  through :func:`virage.audit.service.record` (``require`` does it for refusals).
- A permission with ``reason_required`` is a deliberate, exceptional act (like an emergency access):
  it is used only with a stated reason, and its use is flagged in the audit trail with that reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Scope = Literal["structure", "care_team", "network"]

# --------------------------------------------------------------------------- roles

#: Role identifiers (stored in the database) and their French labels. Data, not ``if``s.
ROLES: dict[str, str] = {
    "director": "Direction",
    "dpo": "Délégué·e à la protection des données",
    "coordinator": "Coordination (IDEC, cadre)",
    "nurse": "Infirmier·e",
    "care_assistant": "Aide-soignant·e",
    "social_worker": "Travailleur·se social·e",
    "home_help": "Aide à domicile",
    "secretariat": "Secrétariat",
}
NETWORK_ADMIN_LABEL = "Administrateur·rice du réseau"

#: Roles that take care of persons.
CARE_ROLES = frozenset({"coordinator", "nurse", "care_assistant", "social_worker", "home_help"})
#: Roles that may be added to a person's care team: the care roles, and a director who takes part
#: in the care. Never the secretariat or the DPO: being in the team opens the health content.
CARE_TEAM_ROLES = CARE_ROLES | {"director"}


@dataclass(frozen=True)
class Permission:
    """A permission that roles may hold.

    :param name: ``"<domain>.<action>"``, e.g. ``"transmissions.read"``.
    :param label: French description shown in the documentation and the roles page.
    :param roles: roles that hold it.
    :param scope: ``"structure"``, ``"care_team"`` or ``"network"`` (see the module docstring).
    :param without_team: for ``care_team`` scope, roles that need not be in the care team.
    :param personal_data: True when using it reads or writes personal data (audited).
    :param emergency: True when an emergency access ("bris de glace") can grant it.
    :param reason_required: True when using it is an exceptional act: a reason must be given, and
        the audit entry is flagged (like an emergency access) and keeps the reason.
    """

    name: str
    label: str
    roles: frozenset[str] = field(default_factory=frozenset)
    scope: Scope = "structure"
    without_team: frozenset[str] = field(default_factory=frozenset)
    personal_data: bool = True
    emergency: bool = False
    reason_required: bool = False


def permission(
    name: str,
    label: str,
    roles: Iterable[str],
    scope: Scope = "structure",
    *,
    without_team: Iterable[str] = (),
    personal_data: bool = True,
    emergency: bool = False,
    reason_required: bool = False,
) -> Permission:
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles in permission {name}: {sorted(unknown)}")
    return Permission(
        name,
        label,
        frozenset(roles),
        scope,
        frozenset(without_team),
        personal_data,
        emergency,
        reason_required,
    )


ALL = tuple(ROLES)
MANAGERS = ("director", "coordinator")

#: Permissions of the core. Plugins add theirs with the ``register_permissions`` hook.
CORE_PERMISSIONS: tuple[Permission, ...] = (
    permission(
        "persons.list",
        "Voir la liste des personnes accompagnées de la structure",
        ["director", "dpo", "coordinator", "secretariat"],
    ),
    permission(
        "persons.identity.read",
        "Lire l'identité et les coordonnées d'une personne",
        ["director", "dpo", "coordinator", "secretariat", *CARE_ROLES],
        "care_team",
        without_team=["director", "dpo", "coordinator", "secretariat"],
        emergency=True,
    ),
    permission(
        "persons.manage",
        "Créer une personne, modifier son identité, clore son dossier",
        ["director", "coordinator", "secretariat"],
    ),
    permission(
        "persons.health.read",
        "Lire les informations de santé d'une personne",
        ["director", "coordinator", "nurse", "care_assistant", "social_worker", "home_help"],
        "care_team",
        without_team=["coordinator"],
        emergency=True,
    ),
    permission(
        "persons.health.write",
        "Modifier les informations de santé d'une personne",
        ["coordinator", "nurse"],
        "care_team",
        without_team=["coordinator"],
    ),
    permission(
        "persons.export",
        "Exporter les données d'une personne (RGPD), limitées à ce que l'on peut lire",
        ["director", "dpo"],
    ),
    permission(
        "persons.export.health",
        "Exporter tout le dossier d'une personne, santé comprise, pour répondre à son droit "
        "d'accès (motif obligatoire, signalé au journal)",
        ["dpo"],
        reason_required=True,
    ),
    permission(
        "persons.access_log.read",
        "Voir qui a consulté le dossier d'une personne",
        ["director", "dpo", "coordinator"],
    ),
    permission(
        "care_team.manage", "Composer l'équipe de soins d'une personne", ["director", "coordinator"]
    ),
    permission(
        "emergency_access.request",
        "Ouvrir un accès d'urgence (bris de glace) motivé",
        ["coordinator", "nurse", "care_assistant"],
    ),
    permission(
        "audit.read",
        "Consulter le journal des accès de la structure, et exporter les entrées d'une personne",
        ["director", "dpo"],
    ),
    permission(
        "activity.read",
        "Voir l'activité de la structure (chiffres, sans contenu)",
        ["director", "dpo", "coordinator"],
        personal_data=False,
    ),
    permission(
        "tokens.manage",
        "Créer et révoquer les jetons d'API de la structure",
        ["director"],
        personal_data=False,
    ),
    permission("members.read", "Voir les professionnels de la structure", ALL, personal_data=False),
    permission(
        "structures.manage",
        "Créer des structures et des comptes (réseau)",
        [],
        "network",
        personal_data=False,
    ),
)


# --------------------------------------------------------------------------- actors


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user (session) or an integration (bearer token)."""

    user_id: int
    username: str
    display_name: str
    memberships: dict[int, str]  # structure id -> role
    is_network_admin: bool = False
    via: Literal["session", "token", "cli"] = "session"
    token_structure_id: int | None = None  # a token acts in this structure only
    session_id: str | None = None

    def role_in(self, structure_id: int) -> str | None:
        if self.token_structure_id is not None and structure_id != self.token_structure_id:
            return None
        return self.memberships.get(structure_id)

    @property
    def structure_ids(self) -> list[int]:
        if self.token_structure_id is not None:
            return [self.token_structure_id] if self.token_structure_id in self.memberships else []
        return sorted(self.memberships)

    @property
    def label(self) -> str:
        return f"{self.display_name} ({self.username})"


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str  # French, shown to the person when refused
    emergency: bool = False  # granted by an emergency access
    hide: bool = False  # refuse as 404: the target must not even be known to exist


class Registry:
    """The permissions of one application: the core's plus those of the plugins."""

    def __init__(self, permissions: Iterable[Permission] = CORE_PERMISSIONS) -> None:
        self._perms: dict[str, Permission] = {}
        for p in permissions:
            self.add(p)

    def add(self, perm: Permission) -> None:
        if perm.name in self._perms and self._perms[perm.name] != perm:
            raise ValueError(f"permission {perm.name} declared twice with different rules")
        self._perms[perm.name] = perm

    def get(self, name: str) -> Permission:
        try:
            return self._perms[name]
        except KeyError:
            raise KeyError(
                f"unknown permission {name!r}: declare it with register_permissions"
            ) from None

    def all(self) -> list[Permission]:
        return sorted(self._perms.values(), key=lambda p: p.name)

    def roles_with(self, name: str) -> frozenset[str]:
        return self.get(name).roles


@dataclass(frozen=True)
class PersonRef:
    """What the policy needs to know about a person to decide."""

    id: int
    structure_id: int
    care_team: frozenset[int]  # user ids
    emergency_users: frozenset[int] = frozenset()  # users with an active emergency access


def check(
    registry: Registry,
    actor: Actor | None,
    perm_name: str,
    *,
    structure_id: int | None = None,
    person: PersonRef | None = None,
) -> Decision:
    """Decide whether ``actor`` may use permission ``perm_name`` on a structure or a person."""
    perm = registry.get(perm_name)
    if actor is None:
        return Decision(False, "Connectez-vous pour accéder à cette page.")
    if perm.scope == "network":
        if actor.is_network_admin and actor.via != "token":
            return Decision(True, "administration du réseau")
        return Decision(False, "Cette action est réservée à l'administration du réseau.")
    if person is not None:
        structure_id = person.structure_id
    if structure_id is None:
        raise ValueError(f"{perm_name}: a structure or a person is needed to decide")
    role = actor.role_in(structure_id)
    if role is None:
        # Another structure's data: do not reveal that it exists.
        return Decision(
            False, "Cette ressource n'existe pas ou ne vous est pas accessible.", hide=True
        )
    if role not in perm.roles:
        return Decision(
            False,
            f"Votre rôle ({ROLES.get(role, role)}) ne permet pas de : {perm.label.lower()}.",
        )
    if perm.scope == "care_team" and person is not None and role not in perm.without_team:
        if actor.user_id in person.care_team:
            return Decision(True, "équipe de soins")
        if perm.emergency and actor.user_id in person.emergency_users:
            return Decision(True, "accès d'urgence (bris de glace)", emergency=True)
        return Decision(
            False,
            "Vous ne faites pas partie de l'équipe de soins de cette personne. En cas d'urgence, "
            "un accès motivé (bris de glace) est possible ; il est tracé et signalé.",
        )
    return Decision(True, f"rôle {ROLES.get(role, role)}")


# --------------------------------------------------------------------------- documentation

#: Short role names for the columns of the documentation's table.
ROLE_COLUMNS: dict[str, str] = {
    "director": "Direction",
    "dpo": "DPO",
    "coordinator": "Coordination",
    "nurse": "Infirmier·e",
    "care_assistant": "Aide-soignant·e",
    "social_worker": "Travailleur·se social·e",
    "home_help": "Aide à domicile",
    "secretariat": "Secrétariat",
}


def _cell(perm: Permission, role: str, breakers: frozenset[str]) -> str:
    if role not in perm.roles:
        return "—"
    if perm.scope == "care_team" and role not in perm.without_team:
        text = "équipe, ou bris de glace" if perm.emergency and role in breakers else "équipe"
    else:
        text = "oui"
    return f"{text}, avec motif" if perm.reason_required else text


def roles_table(permissions: Iterable[Permission]) -> str:
    """The permissions × roles table of the documentation, in Markdown, generated from the code.

    « oui »: the role is enough; « équipe »: only for the persons whose care team the account is
    in; « bris de glace »: also during a traced emergency access (for the roles that may open one);
    « avec motif »: a stated reason is required and the use is flagged in the audit trail;
    « — »: never.
    """
    permissions = list(permissions)
    breakers = next(
        (p.roles for p in permissions if p.name == "emergency_access.request"), frozenset()
    )
    roles = list(ROLE_COLUMNS)
    lines = [
        "| permission | " + " | ".join(ROLE_COLUMNS[r] for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for perm in sorted(permissions, key=lambda p: p.name):
        label = perm.label
        if perm.scope == "network":
            label += " (administration du réseau seulement)"
        cells = ["—" if perm.scope == "network" else _cell(perm, r, breakers) for r in roles]
        lines.append(f"| `{perm.name}` : {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
