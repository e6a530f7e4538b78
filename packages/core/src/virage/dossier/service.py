"""The person's file: use cases shared by the pages, the API, the command line and FHIR.

Every function takes an :class:`AccessContext`; the check (and its audit entry) comes first.
Who reads what:

- the support plan's general items: the care team, the coordination and the direction
  (``dossier.plan.read``); items marked « soins »: those who read health content
  (``persons.health.read``); the secretariat reads neither (identity and entourage only);
- assessments are health content: ``dossier.assessments.read`` (care team, coordination).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from virage.accounts import persons
from virage.accounts.context import AccessContext
from virage.db import transaction, utcnow_iso
from virage.dossier import storage
from virage.dossier.questionnaires import Questionnaire, registry
from virage.errors import Conflict, InvalidInput, NotFound

MAX_OBJECTIVES = 20
TEXT_MAX = 2000
RESPONDENTS = {
    "personne": "la personne",
    "proche": "un proche",
    "professionnel": "le professionnel",
}
AGREED_HOW = {
    "": "non renseigné",
    "entretien": "en entretien avec la personne",
    "representant": "avec son représentant légal",
    "proche": "avec un proche, la personne présente",
    "ecrit": "par écrit",
}
NO_PLAN = "Ce projet personnalisé n'existe pas pour cette personne."


def _text(value: Any, label: str, required: bool = False, limit: int = TEXT_MAX) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(f"Indiquez {label}.")
    if len(text) > limit:
        raise InvalidInput(f"{label[0].upper()}{label[1:]} : {limit} caractères au plus.")
    return text


def _day(value: Any, label: str, required: bool = True) -> str | None:
    text = str(value or "").strip()
    if not text:
        if required:
            raise InvalidInput(f"Indiquez {label} (jour, mois, année).")
        return None
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInput(f"{label[0].upper()}{label[1:]} : date invalide.") from None
    if not date(1900, 1, 1) <= day <= date(2200, 1, 1):
        raise InvalidInput(f"{label[0].upper()}{label[1:]} : date hors des limites.")
    return day.isoformat()


def _editable(access: AccessContext, person_id: int) -> dict:
    person, _ = access.load_person(person_id)
    if person["status"] == "closed":
        raise Conflict("Ce dossier est clos : il reste consultable mais ne peut plus être modifié.")
    return person


# --------------------------------------------------------------------------- plan


def plan_view(access: AccessContext, person_id: int, plan_id: int | None = None) -> dict[str, Any]:
    """The current plan (or an older version), items « soins » only for health readers, and the
    transmissions written about each objective (for those who read the transmissions)."""
    access.require(
        "dossier.plan.read",
        person_id=person_id,
        action="dossier.plan.read",
        details={"version": plan_id} if plan_id else None,
    )
    _, ref = access.load_person(person_id)
    can_care = access.allowed("persons.health.read", person=ref)
    versions = storage.plans(access.db, person_id)
    current = next((p for p in versions if p["status"] == "current"), None)
    shown = current if plan_id is None else next((p for p in versions if p["id"] == plan_id), None)
    if plan_id is not None and shown is None:
        raise NotFound(NO_PLAN)
    objectives = storage.objectives(access.db, shown["id"]) if shown else []
    hidden = sum(1 for o in objectives if o["care"]) if not can_care else 0
    objectives = [o for o in objectives if can_care or not o["care"]]
    linked: dict[int, list[dict]] = {o["id"]: [] for o in objectives}
    can_read_tr = access.allowed("transmissions.read", person=ref)
    if shown and can_read_tr:
        links = storage.links_for_plan(access.db, shown["id"])
        if links:
            from virage.transmissions import service as transmissions

            rows = {
                t["id"]: t
                for t in transmissions.timeline(access, person_id, limit=200, view="projet")
            }
            for link in links:
                if link["objective_id"] in linked and link["transmission_id"] in rows:
                    linked[link["objective_id"]].append(rows[link["transmission_id"]])
    return {
        "plan": shown,
        "versions": versions,
        "objectives": objectives,
        "hidden_care": hidden,
        "linked": linked,
        "can_care": can_care,
        "can_read_transmissions": can_read_tr,
        "can_write": access.allowed("dossier.plan.write", person=ref),
        "agreed_how": AGREED_HOW,
    }


def save_plan(access: AccessContext, person_id: int, data: dict[str, Any]) -> int:
    """Write a new version of the plan; the previous one is kept, read-only."""
    access.require("dossier.plan.write", person_id=person_id, action="dossier.plan.write")
    person = _editable(access, person_id)
    _, ref = access.load_person(person_id)
    can_care = access.allowed("persons.health.write", person=ref)
    current = storage.current_plan(access.db, person_id)
    previous = storage.objectives(access.db, current["id"]) if current else []
    kept_care = {o["id"]: o for o in previous if o["care"]}
    items = []
    for raw in list(data.get("objectives") or [])[: MAX_OBJECTIVES + 1]:
        words = _text(raw.get("words"), "l'objectif", limit=TEXT_MAX)
        if not words:
            continue
        same = kept_care.get(raw.get("origin_id"))  # a care objective carried over unchanged
        unchanged = same is not None and (
            words,
            raw.get("actions") or "",
            raw.get("who") or "",
        ) == (
            same["words"],
            same["actions"],
            same["who"],
        )
        if raw.get("care") and not can_care and not unchanged:
            raise InvalidInput(
                "Votre rôle ne permet pas d'écrire un objectif de soins : demandez à "
                "l'infirmier·e ou à la coordination."
            )
        items.append(
            {
                "words": words,
                "actions": _text(raw.get("actions"), "les actions"),
                "who": _text(raw.get("who"), "qui fait quoi", limit=200),
                "care": bool(raw.get("care")),
                "origin_id": raw.get("origin_id"),
            }
        )
    if not items:
        raise InvalidInput("Écrivez au moins un objectif, avec les mots de la personne.")
    if len(items) > MAX_OBJECTIVES:
        raise InvalidInput(f"Un projet compte {MAX_OBJECTIVES} objectifs au plus.")
    sees_care = access.allowed("persons.health.read", person=ref)
    valid_origins = {o["id"] for o in previous if sees_care or not o["care"]}
    for item in items:
        if item["origin_id"] not in valid_origins:
            item["origin_id"] = None
    if not sees_care:  # the care objectives she cannot see are carried over as they are
        items += [
            {k: o[k] for k in ("words", "actions", "who")} | {"care": True, "origin_id": o["id"]}
            for o in previous
            if o["care"]
        ]
    how = str(data.get("agreed_how") or "")
    if how not in AGREED_HOW:
        raise InvalidInput("Comment la personne a-t-elle participé ? Choisissez dans la liste.")
    values = {
        "person_id": person_id,
        "structure_id": person["structure_id"],
        "review_on": _day(data.get("review_on"), "la date de révision"),
        "agreed_on": _day(data.get("agreed_on"), "la date de l'accord", required=False),
        "agreed_how": how,
        "agreed_by": _text(data.get("agreed_by"), "qui a donné son accord", limit=200),
        "author_label": access.actor.label,
    }
    with transaction(access.db):
        plan_id = storage.insert_plan(access.db, values, items, utcnow_iso())
        access.audit(
            "dossier.plan.written",
            structure_id=person["structure_id"],
            person_id=person_id,
            target=f"projet:{plan_id}",
            details={"objectifs": len(items)},
        )
    return plan_id


def link_transmission(
    access: AccessContext, person_id: int, objective_id: int, transmission_id: int
) -> bool:
    """Say that a transmission is about an objective of the current plan."""
    from virage.transmissions import service as transmissions

    access.require("dossier.plan.write", person_id=person_id, action="dossier.objective.link")
    person = _editable(access, person_id)
    objective = storage.objective(access.db, objective_id)
    current = storage.current_plan(access.db, person_id)
    if objective is None or current is None or objective["plan_id"] != current["id"]:
        raise NotFound("Cet objectif n'est pas dans le projet en cours de cette personne.")
    _, ref = access.load_person(person_id)
    if objective["care"] and not access.allowed("persons.health.read", person=ref):
        raise NotFound("Cet objectif n'est pas dans le projet en cours de cette personne.")
    row = transmissions.get(access, transmission_id)
    if row["person_id"] != person_id:
        raise InvalidInput("Cette transmission concerne une autre personne.")
    return storage.link(
        access.db,
        {
            "transmission_id": transmission_id,
            "objective_id": objective_id,
            "person_id": person_id,
            "structure_id": person["structure_id"],
            "linked_by": access.actor.label,
            "linked_at": utcnow_iso(),
        },
    )


def recent_transmissions(access: AccessContext, person_id: int) -> list[dict]:
    """The person's latest transmissions, to link one to an objective ([] if not readable)."""
    from virage.transmissions import service as transmissions

    _, ref = access.load_person(person_id)
    if not access.allowed("transmissions.read", person=ref):
        return []
    return transmissions.timeline(access, person_id, limit=20, view="projet")


def reviews_due(access: AccessContext, structure_id: int, days: int = 60) -> list[dict]:
    """Plans of the structure to review within ``days`` days (or overdue), oldest first."""
    access.require("dossier.reviews.read", structure_id=structure_id, action="dossier.reviews.read")
    until = (date.today() + timedelta(days=max(0, min(days, 366)))).isoformat()
    active = {p["id"]: p for p in persons.list_for(access, structure_id)}
    rows = [
        r for r in storage.reviews_due(access.db, structure_id, until) if r["person_id"] in active
    ]
    today = date.today().isoformat()
    return [
        {
            **r,
            "name": f"{active[r['person_id']]['given_names'] or ''} "
            f"{(active[r['person_id']]['family_name'] or '').upper()}".strip(),
            "overdue": r["review_on"] < today,
        }
        for r in rows[:500]
    ]


# --------------------------------------------------------------------------- assessments


def questionnaires(access: AccessContext) -> dict[str, Questionnaire]:
    contributed = access.plugins.call_flat("register_questionnaires") if access.plugins else []
    return registry(contributed)


def assessments(access: AccessContext, person_id: int) -> list[dict]:
    access.require(
        "dossier.assessments.read", person_id=person_id, action="dossier.assessments.read"
    )
    known = questionnaires(access)
    rows = storage.assessments(access.db, person_id)
    for row in rows:
        q = known.get(row["questionnaire"])
        row["title"] = q.title if q else row["questionnaire"]
        row["respondent_label"] = RESPONDENTS.get(row["respondent"], row["respondent"])
    return rows


def record_assessment(
    access: AccessContext, person_id: int, code: str, data: dict[str, Any]
) -> int:
    """Store dated answers to a questionnaire, with who filled it and who answered."""
    access.require(
        "dossier.assessments.write",
        person_id=person_id,
        action="dossier.assessment.record",
        details={"questionnaire": code},
    )
    person = _editable(access, person_id)
    questionnaire = questionnaires(access).get(code)
    if questionnaire is None:
        raise NotFound("Ce questionnaire n'existe pas.")
    answers = data.get("answers") or {}
    if not isinstance(answers, dict) or len(answers) > 200:
        raise InvalidInput("Les réponses sont illisibles.")
    kept = questionnaire.check({str(k)[:60]: v for k, v in answers.items()})
    respondent = str(data.get("respondent") or "")
    if respondent not in RESPONDENTS:
        raise InvalidInput("Qui a répondu : la personne, un proche ou le professionnel ?")
    values = {
        "person_id": person_id,
        "structure_id": person["structure_id"],
        "questionnaire": code,
        "answered_on": _day(data.get("answered_on"), "la date de l'évaluation"),
        "respondent": respondent,
        "respondent_name": _text(data.get("respondent_name"), "le nom de qui a répondu", limit=200),
        "filled_by_label": access.actor.label,
        "responses": kept,
        "result": questionnaire.result(kept),
        "created_at": utcnow_iso(),
    }
    with transaction(access.db):
        assessment_id = storage.insert_assessment(access.db, values)
    return assessment_id
