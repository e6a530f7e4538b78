"""The teleconsultation's indicators (hook ``register_indicators``): requests of the month by
their state today. Not by reason: the reason is free text, possibly health content; not by doctor
nor by the worker who accompanied."""

from __future__ import annotations

from virage.sdk import Indicator, IndicatorCell
from virage_teleconsultation import indicator_storage
from virage_teleconsultation.machine import STATES


def _by_status(db, structure_id, start, end):
    return [
        IndicatorCell(STATES.get(r["status"], r["status"]), int(r["n"]), int(r["persons"]))
        for r in indicator_storage.by_status(db, structure_id, start, end)
    ]


INDICATORS = (
    Indicator(
        "teleconsultation.par_etat",
        "Téléconsultations demandées, par état",
        "téléconsultations",
        _by_status,
        ("mois", "état"),
        description="Téléconsultations demandées dans le mois, selon leur état aujourd'hui.",
    ),
)
