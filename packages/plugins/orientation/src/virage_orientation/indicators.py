"""The orientation's indicators (hook ``register_indicators``), for the structure that orients:
requests sent, days to the first answer, days to an admission, refusals by reason, waiting lists.
Never by receiving structure's worker nor by person; delays are medians of the month."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime

from virage.sdk import Indicator, IndicatorCell
from virage_orientation import indicator_storage
from virage_orientation.catalog import OFFERS, REFUSAL_REASONS


def _days(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    delta = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    return max(0.0, delta.total_seconds() / 86400)


def _requests(db, structure_id, start, end):
    return [
        IndicatorCell(_offer_label(r["offer"]), int(r["n"]), int(r["persons"]))
        for r in indicator_storage.requests_sent(db, structure_id, start, end)
    ]


def _offer_label(code: str) -> str:
    offer = OFFERS.get(code)
    return offer.label if offer else code


def _first_answer(db, structure_id, start, end):
    first: dict[int, float] = {}
    persons: dict[int, int] = {}
    for row in indicator_storage.sendings_of_requests_sent(db, structure_id, start, end):
        days = _days(row["sent_at"], row["answered_at"])
        if days is not None:
            rid = row["request_id"]
            first[rid] = min(days, first.get(rid, days))
            persons[rid] = row["person_id"]
    if not first:
        return []
    return [
        IndicatorCell("", round(statistics.median(first.values()), 1), len(set(persons.values())))
    ]


def _admission(db, structure_id, start, end):
    days, persons = [], set()
    for row in indicator_storage.answers_of_month(db, structure_id, start, end):
        if row["status"] == "admission_realisee":
            value = _days(row["request_sent_at"], row["status_at"])
            if value is not None:
                days.append(value)
                persons.add(row["person_id"])
    return [IndicatorCell("", round(statistics.median(days), 1), len(persons))] if days else []


def _by_status(status: str, with_reason: bool = False):
    def compute(db, structure_id, start, end):
        counts: dict[str, list] = defaultdict(lambda: [0, set()])
        for row in indicator_storage.answers_of_month(db, structure_id, start, end):
            if row["status"] != status:
                continue
            key = ""
            if with_reason:
                key = REFUSAL_REASONS.get(row["refusal_reason"] or "", "Motif non précisé")
            counts[key][0] += 1
            counts[key][1].add(row["person_id"])
        return [IndicatorCell(k, n, len(p)) for k, (n, p) in counts.items()]

    return compute


INDICATORS = (
    Indicator(
        "orientation.demandes",
        "Demandes d'orientation envoyées",
        "demandes",
        _requests,
        ("mois", "type"),
        description="Demandes envoyées dans le mois, par type d'offre recherchée.",
    ),
    Indicator(
        "orientation.delai_premiere_reponse",
        "Délai de la première réponse (médiane)",
        "jours",
        _first_answer,
        ("mois",),
        additive=False,
        description="Pour les demandes envoyées dans le mois : jours jusqu'à la première réponse.",
    ),
    Indicator(
        "orientation.delai_admission",
        "Délai jusqu'à l'admission (médiane)",
        "jours",
        _admission,
        ("mois",),
        additive=False,
        description="Pour les admissions réalisées dans le mois : jours depuis l'envoi.",
    ),
    Indicator(
        "orientation.refus",
        "Refus, par motif",
        "réponses",
        _by_status("refusee", with_reason=True),
        ("mois", "motif"),
        description="Réponses « refusée » données dans le mois, par motif (liste fermée).",
    ),
    Indicator(
        "orientation.liste_attente",
        "Mises en liste d'attente",
        "réponses",
        _by_status("liste_attente"),
        ("mois",),
        description="Réponses « mise en liste d'attente » données dans le mois.",
    ),
)
