"""A person's objection to the sharing of her data outside her care team (code de la santé
publique, article L1110-4: she may object at any time to the exchange and sharing of information
about her).

The structure records the objection in her file (the date she expressed it, who recorded it, its
scope) and may record its withdrawal; both stay in the history of her record. Two scopes:

- ``"tout"``: nothing about her leaves her care team (no orientation request sent to other
  structures, no transfer);
- ``"sante"``: her health information does not leave it (an orientation request goes without its
  medical part).

**For plugins and domains.** Before anything about a person leaves her care team (another
structure, an outside professional, a partner software), ask::

    from virage.accounts import objections

    decision = objections.sharing(db, person_id)          # look only
    objections.require_sharing(access, person_id, health=True, action="myplugin.send")

``sharing`` says what may leave (``allowed``, ``health_allowed``) and why not (``message``, in
French, to show as it is). ``require_sharing`` raises ``Forbidden`` with that message and writes
the refusal to the audit trail when the objection forbids what you are about to share (``health``:
does it include health content?). A plugin never reads the objections' table itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from virage.accounts import objection_storage as store
from virage.accounts import storage
from virage.accounts.context import AccessContext
from virage.accounts.display import jour
from virage.db import Database, transaction, utcnow_iso
from virage.errors import Conflict, Forbidden, InvalidInput, NotFound

#: Scope → what the person objected to, as said after « s'est opposée le 3 mars 2026 … ».
SCOPES = {
    "tout": "à tout partage de ses informations hors de son équipe de soins",
    "sante": "au partage de ses informations de santé hors de son équipe de soins",
}
#: Scope → the choice as offered on the record page.
SCOPE_CHOICES = {
    "tout": "Tout partage hors de l'équipe de soins (rien n'est envoyé à l'extérieur)",
    "sante": "Le partage de ses informations de santé (le reste peut être envoyé)",
}
NOTE_MAX = 300


@dataclass(frozen=True)
class SharingDecision:
    """What may leave a person's care team, given her objection (if any)."""

    allowed: bool
    """Anything about her may be shared outside the care team."""
    health_allowed: bool
    """Her health information may be shared outside the care team."""
    objection: dict | None = None
    """The objection in force (``scope``, ``expressed_on``, ``recorded_by_label``…), if any."""
    message: str | None = None
    """Why not, in French, to show as it is (``None`` when nothing is forbidden)."""


def _name(person: dict) -> str:
    return f"{person['given_names']} {person['family_name'].upper()}"


def _decorate(row: dict | None) -> dict | None:
    if row is not None:
        row["scope_label"] = SCOPES.get(row["scope"], row["scope"])
    return row


def active(db: Database, person_id: int) -> dict | None:
    """The objection in force for this person, with ``scope_label`` (French), or ``None``."""
    return _decorate(store.active(db, person_id))


def history(db: Database, person_id: int) -> list[dict]:
    """Every objection recorded for the person, newest first, withdrawn ones included."""
    return [_decorate(r) for r in store.history(db, person_id)]


def sharing(db: Database, person_id: int) -> SharingDecision:
    """What may leave the person's care team."""
    objection = active(db, person_id)
    if objection is None:
        return SharingDecision(True, True)
    person = storage.get_person(db, person_id) or {"given_names": "", "family_name": "?"}
    said = (
        f"{_name(person)} s'est opposé·e le {jour(objection['expressed_on'])} "
        f"{SCOPES[objection['scope']]}"
    )
    if objection["scope"] == "tout":
        message = (
            said + " : rien ne peut être envoyé à une autre structure ni à un professionnel "
            "extérieur. Si la personne change d'avis, levez l'opposition dans son dossier."
        )
        return SharingDecision(False, False, objection, message)
    message = said + " : elles ne sont pas transmises."
    return SharingDecision(True, False, objection, message)


def require_sharing(
    access: AccessContext,
    person_id: int,
    *,
    health: bool,
    action: str,
    target: str | None = None,
) -> SharingDecision:
    """Refuse (``Forbidden``, audited) a share that the person's objection forbids.

    :param health: the share includes health content.
    :param action: the audit action of the share (``"<your-plugin>.<verb>"``).
    Returns the decision when the share may go on (perhaps without health content: check
    ``health_allowed`` when you can leave it out instead of refusing).
    """
    decision = sharing(access.db, person_id)
    if decision.allowed and (decision.health_allowed or not health):
        return decision
    person = storage.get_person(access.db, person_id)
    access.audit(
        action,
        structure_id=person["structure_id"] if person else None,
        person_id=person_id,
        target=target,
        outcome="denied",
        details={"raison": "opposition au partage", "portee": decision.objection["scope"]},
    )
    raise Forbidden(decision.message)


# --------------------------------------------------------------------------- recording


def _day(raw: str | None, what: str) -> str:
    raw = (raw or "").strip()
    if not raw:
        return date.today().isoformat()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{what} : indiquez une date au format AAAA-MM-JJ.") from None
    if not date(1900, 1, 1) <= day <= date.today():
        raise InvalidInput(f"{what} : une date passée ou aujourd'hui.")
    return day.isoformat()


def record_objection(
    access: AccessContext, person_id: int, scope: str, expressed_on: str | None, note: str | None
) -> int:
    """Record the person's objection (permission ``persons.objection.manage``, audited)."""
    if scope not in SCOPES:
        raise InvalidInput("Choisissez ce à quoi la personne s'oppose : tout partage, ou sa santé.")
    day = _day(expressed_on, "Date de l'opposition")
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"La précision est trop longue : {NOTE_MAX} caractères au plus.")
    details = {"portee": scope, "exprimee_le": day}
    person = access.require(
        "persons.objection.manage",
        person_id=person_id,
        action="persons.objection.record",
        details=details,
    )
    actor = access.actor
    with transaction(access.db):
        objection_id = store.add(
            access.db,
            person_id=person_id,
            scope=scope,
            expressed_on=day,
            note=note,
            user_id=actor.user_id,
            label=actor.label,
            at=utcnow_iso(),
        )
        if objection_id is None:
            raise Conflict(
                "Une opposition est déjà enregistrée pour cette personne : levez-la d'abord pour "
                "en enregistrer une autre."
            )
        access.audit(
            "persons.objection.recorded",
            structure_id=person["structure_id"],
            person_id=person_id,
            target=f"objection:{objection_id}",
            details=details,
        )
    return objection_id


def withdraw_objection(
    access: AccessContext, person_id: int, objection_id: int, withdrawn_on: str | None
) -> None:
    """Record that the person withdrew her objection (audited); it stays in the history."""
    day = _day(withdrawn_on, "Date de la levée")
    person = access.require(
        "persons.objection.manage",
        person_id=person_id,
        action="persons.objection.withdraw",
        target=f"objection:{objection_id}",
    )
    objection = store.get(access.db, objection_id)
    if objection is None or objection["person_id"] != person_id:
        raise NotFound("Cette opposition n'existe pas pour cette personne.")
    if day < objection["expressed_on"]:
        raise InvalidInput("Date de la levée : elle ne peut pas précéder l'opposition.")
    actor = access.actor
    with transaction(access.db):
        if not store.withdraw(
            access.db,
            objection_id,
            withdrawn_on=day,
            user_id=actor.user_id,
            label=actor.label,
            at=utcnow_iso(),
        ):
            raise Conflict("Cette opposition est déjà levée.")
        access.audit(
            "persons.objection.withdrawn",
            structure_id=person["structure_id"],
            person_id=person_id,
            target=f"objection:{objection_id}",
            details={"portee": objection["scope"], "levee_le": day},
        )
