"""The state machine of a teleconsultation, and the checks every step shares (access, members of
the structure, the person's objection to sharing outside her care team)."""

from __future__ import annotations

from datetime import timedelta

from virage.sdk import (
    AccessContext,
    Conflict,
    InvalidInput,
    NotFound,
    PluginHost,
    accounts,
    agenda,
    transaction,
)
from virage_teleconsultation import storage

KIND = "teleconsultation"
TARGET = "teleconsultation"
NOT_FOUND = "Cette téléconsultation n'existe pas ou ne vous est pas accessible."
CHANGED = (
    "Cette téléconsultation vient d'être modifiée par quelqu'un d'autre : rechargez la page et "
    "vérifiez son état avant de recommencer."
)

STATES: dict[str, str] = {
    "requested": "Demandée",
    "scheduled": "Planifiée",
    "ready": "Prête",
    "in_progress": "En cours",
    "done": "Réalisée",
    "reported": "Compte rendu reçu",
    "cancelled": "Annulée",
    "not_done": "Non réalisée",
}
#: The strict state machine: state → states it may go to.
TRANSITIONS: dict[str, frozenset[str]] = {
    "requested": frozenset({"scheduled", "cancelled"}),
    "scheduled": frozenset({"ready", "cancelled"}),
    "ready": frozenset({"in_progress", "cancelled", "not_done"}),
    "in_progress": frozenset({"done", "not_done"}),
    "done": frozenset({"reported"}),
    "reported": frozenset(),
    "cancelled": frozenset(),
    "not_done": frozenset(),
}
#: States in which the participants see the video link.
LINK_STATES = frozenset({"scheduled", "ready", "in_progress"})
CONSENT_METHODS: dict[str, str] = {
    "oral": "Oral, recueilli auprès de la personne",
    "written": "Écrit, signé par la personne",
    "representative": "Par la personne de confiance ou le représentant légal",
}
EQUIPMENT: dict[str, str] = {
    "device": "Tablette ou ordinateur chargé, caméra et micro testés",
    "network": "Connexion testée dans la pièce",
    "room": "Pièce calme, porte fermée, intimité respectée",
    "instruments": "Matériel de mesure prêt (tension, saturation, thermomètre…)",
    "documents": "Documents à préparer rassemblés (traitement, derniers résultats)",
}
#: A session may start at most this long before its planned time.
EARLY_START = timedelta(hours=1)
DURATION_MINUTES = 30


def clean_text(value: str | None, field: str, *, minimum: int = 0, maximum: int = 2000) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise InvalidInput(f"{field} : au moins {minimum} caractères.")
    if len(value) > maximum:
        raise InvalidInput(f"{field} : au plus {maximum} caractères.")
    return value


def require_member(
    access: AccessContext, structure_id: int, user_id: int | None, field: str
) -> None:
    if user_id is None:
        return
    ids = {m["id"] for m in accounts.members_of(access.db, structure_id)}
    if user_id not in ids:
        raise InvalidInput(f"{field} : ce professionnel n'appartient pas à la structure.")


def outside_team(access: AccessContext, person_id: int, doctor_user_id: int | None) -> bool:
    return doctor_user_id is None or doctor_user_id not in accounts.care_team_ids(
        access.db, person_id
    )


def require_sharing(access: AccessContext, row: dict, action: str) -> None:
    """Refuse (audited) a session with a doctor outside the care team against an objection."""
    if outside_team(access, row["person_id"], row["doctor_user_id"]):
        accounts.require_sharing(
            access,
            row["person_id"],
            health=True,
            action=action,
            target=f"teleconsultation:{row['id']}" if row.get("id") else None,
        )


def participants(row: dict) -> set[int]:
    return {
        uid
        for uid in (row["requested_by"], row["accompanying_user_id"], row["doctor_user_id"])
        if uid is not None
    }


def load(access: AccessContext, tc_id: int, perm: str = "teleconsultation.read", **audit) -> dict:
    actor = access.require_login()
    row = storage.get(access.db, tc_id)
    if row is None or actor.role_in(row["structure_id"]) is None:
        raise NotFound(NOT_FOUND)
    access.require(perm, person_id=row["person_id"], target=f"teleconsultation:{tc_id}", **audit)
    return row


def move(access: AccessContext, row: dict, new: str, values: dict | None = None) -> dict:
    old = row["status"]
    if new not in TRANSITIONS[old]:
        raise Conflict(
            f"Une téléconsultation « {STATES[old].lower()} » ne peut pas passer à "
            f"« {STATES[new].lower()} »."
        )
    values = {**(values or {}), "status": new}
    with transaction(access.db):
        # compare-and-set on the state: of two concurrent steps, the second gets 409
        if not storage.update(access.db, row["id"], values, from_status=old):
            raise Conflict(CHANGED)
        access.audit(
            f"teleconsultation.{new}",
            structure_id=row["structure_id"],
            person_id=row["person_id"],
            target=f"teleconsultation:{row['id']}",
            details={"de": STATES[old], "vers": STATES[new]},
        )
    return {**row, **values}


def appointment_of(access: AccessContext, plugins: PluginHost, row: dict) -> dict | None:
    if row["appointment_id"] is None:
        return None
    try:
        return agenda.get(access, plugins, row["appointment_id"], audit=False)
    except NotFound:
        return None
