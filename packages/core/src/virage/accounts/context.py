"""``AccessContext``: the access model applied to one request (or one CLI command).

Handlers of the core and of plugins receive it as the ``access`` dependency
(``from virage.deps import Access``) and ask it before touching personal data::

    person = access.require("persons.health.read", person_id=person_id)

It decides with :func:`virage.access.check`, writes the audit entry (allowed or refused), and on
refusal raises ``NotFound`` (another structure's data: its existence is not revealed) or
``Forbidden`` (with the reason, in French).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from virage.access import Actor, Decision, PersonRef, Registry, check
from virage.accounts import objection_storage, storage
from virage.audit.service import record
from virage.db import Database, utcnow, utcnow_iso
from virage.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.plugins import PluginHost

EMERGENCY_DURATION = timedelta(hours=4)
PERSON_NOT_FOUND = "Cette personne n'existe pas ou son dossier ne vous est pas accessible."
REASON_MIN, REASON_MAX = 10, 500
REASON_HINT = (
    "Indiquez le motif de cette action exceptionnelle (au moins 10 caractères) : il est "
    "enregistré au journal des accès et visible de la direction."
)


def clean_reason(reason: str | None, hint: str = REASON_HINT) -> str:
    """The stated reason of an exceptional act, stripped; ``InvalidInput`` (``hint``) if too short."""
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise InvalidInput(hint)
    if len(reason) > REASON_MAX:
        raise InvalidInput(f"Le motif est trop long : {REASON_MAX} caractères au plus.")
    return reason


def _copy(row: dict) -> dict:
    return {
        k: [dict(x) if isinstance(x, dict) else x for x in v] if isinstance(v, list) else v
        for k, v in row.items()
    }


class AccessContext:
    def __init__(
        self,
        db: Database,
        registry: Registry,
        actor: Actor | None,
        route: str = "",
        plugins: PluginHost | None = None,
    ) -> None:
        self.db = db
        self.registry = registry
        self.actor = actor
        self.route = route
        #: The plugin host of the application (``None`` in a bare service test): a service that
        #: asks another domain through a hook uses it.
        self.plugins = plugins
        # person id → (row, reference, write count when loaded): one read of the person per
        # request, however many checks and pages ask for her, until something is written.
        self._persons: dict[int, tuple[dict, PersonRef, int]] = {}

    # ------------------------------------------------------------------ basics

    def require_login(self) -> Actor:
        if self.actor is None:
            raise NotAuthenticated("Connectez-vous pour accéder à cette page.")
        return self.actor

    def load_person(self, person_id: int) -> tuple[dict, PersonRef]:
        """The person's row (a copy: change it freely) and the reference access checks use.

        Read once per request: later calls return what was read, unless a write went through
        this connection since (then the person is read again).
        """
        writes = self.db.write_count
        cached = self._persons.get(person_id)
        if cached is not None and cached[2] == writes:
            return _copy(cached[0]), cached[1]
        person = storage.get_person(self.db, person_id)
        if person is None:
            raise NotFound(PERSON_NOT_FOUND)
        ref = PersonRef(
            id=person["id"],
            structure_id=person["structure_id"],
            care_team=storage.care_team_ids(self.db, person_id),
            emergency_users=storage.emergency_users(self.db, person_id, utcnow_iso()),
        )
        self._persons[person_id] = (person, ref, writes)
        return _copy(person), ref

    def decide(
        self, perm: str, *, structure_id: int | None = None, person: PersonRef | None = None
    ) -> Decision:
        return check(self.registry, self.actor, perm, structure_id=structure_id, person=person)

    def allowed(
        self, perm: str, *, structure_id: int | None = None, person: PersonRef | None = None
    ) -> bool:
        """For display decisions (show a section or a button); writes nothing."""
        if self.actor is None:
            return False
        return self.decide(perm, structure_id=structure_id, person=person).allowed

    # ------------------------------------------------------------------ enforcement

    def require(
        self,
        perm: str,
        *,
        structure_id: int | None = None,
        person_id: int | None = None,
        action: str | None = None,
        target: str | None = None,
        details: dict[str, Any] | None = None,
        reason: str | None = None,
    ) -> dict | None:
        """Enforce ``perm``; audit the access; return the person's row when ``person_id`` is given.

        Raises ``NotAuthenticated`` (no actor), ``NotFound`` (unknown person, or another
        structure's), or ``Forbidden`` with the reason. For a permission with ``reason_required``,
        ``reason`` must be given (``InvalidInput`` otherwise): the audit entry keeps it as
        ``motif`` and is flagged like an emergency access.
        """
        self.require_login()
        person, ref = (None, None)
        if person_id is not None:
            try:
                person, ref = self.load_person(person_id)
            except NotFound:
                self._audit(
                    action or perm, None, person_id, "denied", target, {"raison": "inconnue"}
                )
                raise
            structure_id = ref.structure_id
        decision = self.decide(perm, structure_id=structure_id, person=ref)
        permission = self.registry.get(perm)
        if not decision.allowed:
            self._audit(
                action or perm,
                structure_id,
                person_id,
                "denied",
                target,
                {"raison": decision.reason},
            )
            if decision.hide:
                raise NotFound(PERSON_NOT_FOUND if person_id is not None else decision.reason)
            raise Forbidden(decision.reason)
        flagged = decision.emergency
        if permission.reason_required:
            try:
                motif = clean_reason(reason, REASON_HINT)
            except InvalidInput:
                self._audit(
                    action or perm, structure_id, person_id, "denied", target, {"raison": "motif"}
                )
                raise
            details, flagged = {"motif": motif, **(details or {})}, True
        if permission.personal_data:
            self._audit(
                action or perm,
                structure_id,
                person_id,
                "allowed",
                target,
                details,
                emergency=flagged,
            )
        return person

    def audit(
        self,
        action: str,
        *,
        structure_id: int | None = None,
        person_id: int | None = None,
        target: str | None = None,
        details: dict[str, Any] | None = None,
        outcome: str = "allowed",
    ) -> None:
        """Record an action that ``require`` did not (a write after the check, an export, a share
        refused by the person's objection: ``outcome="denied"``…)."""
        self._audit(action, structure_id, person_id, outcome, target, details)

    def _audit(self, action, structure_id, person_id, outcome, target, details, emergency=False):
        record(
            self.db,
            self.actor,
            action,
            structure_id=structure_id,
            person_id=person_id,
            target=target,
            route=self.route,
            outcome=outcome,
            emergency=emergency,
            details=details,
        )

    # ------------------------------------------------------------------ emergency access

    def request_emergency(self, person_id: int, reason: str) -> None:
        """Open a 4-hour emergency access ("bris de glace") to a person of one's structure."""
        reason = clean_reason(
            reason,
            "Indiquez le motif de l'accès d'urgence (au moins 10 caractères) : il est "
            "enregistré et visible de la direction.",
        )
        details = {"motif": reason}
        objection = objection_storage.active(self.db, person_id)
        if objection is not None:
            # The person objected to sharing outside her care team: the page showed it to the
            # colleague opening the access; the journal keeps that she did so anyway.
            details.update(
                opposition_au_partage=objection["scope"],
                opposition_exprimee_le=objection["expressed_on"],
            )
        self.require(
            "emergency_access.request",
            person_id=person_id,
            action="emergency_access.open",
            details=details,
        )
        expires = (utcnow() + EMERGENCY_DURATION).replace(microsecond=0).isoformat()
        storage.grant_emergency(self.db, person_id, self.actor.user_id, reason, expires)
