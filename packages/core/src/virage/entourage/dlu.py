"""The emergency liaison file (dossier de liaison d'urgence, DLU, HAS/ANESM 2015): one A4 page
generated from the person's record and her entourage, with what is missing or out of date.

Health content: for the care team only (``persons.health.read``, or an emergency access).
The lists are capped so that the page stays one A4 sheet; what is left out is counted and the
page says where to read the rest.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from virage.accounts.context import AccessContext
from virage.entourage import storage
from virage.entourage.kinds import KINDS

#: A treatment declared longer ago than this is flagged « à vérifier ».
TREATMENTS_STALE = timedelta(days=183)
#: At most this many lines per list on the page (one A4 sheet); the rest is counted.
LIMITS = {"relative": 4, "allergy": 6, "treatment": 12}
#: Health notes are cut at this many characters on the page.
NOTES_MAX = 600


def _cap(rows: list[dict], kind: str) -> tuple[list[dict], int]:
    limit = LIMITS.get(kind)
    if limit is None or len(rows) <= limit:
        return rows, 0
    return rows[:limit], len(rows) - limit


def missing(by_kind: dict[str, list[dict]], person: dict, today: date) -> list[str]:
    """What the DLU lacks or what is out of date, in French, most important first."""
    out = []
    if not person.get("birth_date"):
        out.append("La date de naissance n'est pas renseignée.")
    if not by_kind.get("trusted_person"):
        out.append("Aucune personne de confiance n'est enregistrée (ou son absence notée).")
    if not by_kind.get("directives"):
        out.append("On ne sait pas si la personne a rédigé des directives anticipées.")
    if not by_kind.get("allergy"):
        out.append(
            "Les allergies ne sont pas renseignées (notez « aucune connue » le cas échéant)."
        )
    treatments = by_kind.get("treatment") or []
    if not treatments:
        out.append("Aucun traitement en cours n'est déclaré.")
    else:
        stale = [
            t
            for t in treatments
            if t["declared_on"] and date.fromisoformat(t["declared_on"]) < today - TREATMENTS_STALE
        ]
        if stale:
            n = len(stale)
            out.append(
                f"{n} traitement{'s' if n > 1 else ''} déclaré{'s' if n > 1 else ''} il y a plus "
                "de six mois : à vérifier auprès de la personne ou de son ordonnance."
            )
    if not (person.get("contacts") or by_kind.get("relative")):
        out.append("Aucun proche ni contact à prévenir n'est enregistré.")
    return out


def build(access: AccessContext, person_id: int, today: date) -> dict[str, Any]:
    """The DLU of a person, audited as one read (care team, or emergency access)."""
    person = access.require("persons.health.read", person_id=person_id, action="entourage.dlu.read")
    rows = storage.entries(access.db, person_id, tuple(KINDS))
    by_kind = {k: [r for r in rows if r["kind"] == k] for k in KINDS}
    lists = {}
    more = {}
    for kind in ("relative", "allergy", "treatment"):
        lists[kind], more[kind] = _cap(by_kind[kind], kind)
    notes = (person.get("health_notes") or "").strip()
    return {
        "person": person,
        "trusted": (by_kind["trusted_person"] or [None])[0],
        "protection": (by_kind["protection"] or [None])[0],
        "directives": (by_kind["directives"] or [None])[0],
        "contacts": (person.get("contacts") or [])[:3],
        "lists": lists,
        "more": more,
        "notes": notes[:NOTES_MAX] + ("…" if len(notes) > NOTES_MAX else ""),
        "missing": missing(by_kind, person, today),
        "today": today,
    }
