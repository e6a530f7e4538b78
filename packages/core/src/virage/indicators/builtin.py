"""The core's indicators: visits of the agenda and transmissions, by month."""

from __future__ import annotations

from virage.agenda import indicator_counts as agenda_counts
from virage.indicators.model import Cell, Indicator
from virage.transmissions import indicator_counts as transmission_counts


def _planned(db, structure_id, start, end):
    return [
        Cell(r["kind"], int(r["planned"] or 0), int(r["planned_persons"] or 0))
        for r in agenda_counts.visits(db, structure_id, start, end)
        if r["planned"]
    ]


def _done(db, structure_id, start, end):
    return [
        Cell(r["kind"], int(r["done"] or 0), int(r["done_persons"] or 0))
        for r in agenda_counts.visits(db, structure_id, start, end)
        if r["done"]
    ]


def _done_share(db, structure_id, start, end):
    rows = agenda_counts.visits(db, structure_id, start, end)
    planned = sum(int(r["planned"] or 0) for r in rows)
    done = sum(int(r["done"] or 0) for r in rows)
    persons = max((int(r["planned_persons"] or 0) for r in rows), default=0)
    return [Cell("", round(100 * done / planned, 1), persons)] if planned else []


def _hours_per_person(db, structure_id, start, end):
    served = agenda_counts.served(db, structure_id, start, end)
    if not served["persons"]:
        return []
    return [Cell("", round(served["minutes"] / 60 / served["persons"], 1), served["persons"])]


def _written(db, structure_id, start, end):
    return [
        Cell(r["category"], int(r["written"]), int(r["persons"]))
        for r in transmission_counts.written(db, structure_id, start, end)
    ]


def _acknowledged(db, structure_id, start, end):
    return [
        Cell(r["category"], int(r["acknowledged"] or 0), int(r["persons"]))
        for r in transmission_counts.written(db, structure_id, start, end)
        if r["acknowledged"]
    ]


CORE_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "agenda.visites_prevues",
        "Visites prévues",
        "visites",
        _planned,
        ("mois", "type"),
        description="Rendez-vous avec une personne accompagnée, non annulés, par type.",
    ),
    Indicator(
        "agenda.visites_realisees",
        "Visites réalisées",
        "visites",
        _done,
        ("mois", "type"),
        description="Rendez-vous pointés « fait », par type.",
    ),
    Indicator(
        "agenda.effectivite",
        "Part des visites prévues réalisées",
        "%",
        _done_share,
        ("mois",),
        additive=False,
        description="Visites réalisées divisées par visites prévues (l'« effectivité »).",
    ),
    Indicator(
        "agenda.heures_par_personne",
        "Heures réalisées par personne accompagnée",
        "heures",
        _hours_per_person,
        ("mois",),
        additive=False,
        description="Durée des visites réalisées divisée par le nombre de personnes vues.",
    ),
    Indicator(
        "transmissions.ecrites",
        "Transmissions écrites",
        "transmissions",
        _written,
        ("mois", "catégorie"),
        description="Transmissions ciblées écrites (hors résultats et corrections), par catégorie.",
    ),
    Indicator(
        "transmissions.lues",
        "Transmissions lues par l'équipe",
        "transmissions",
        _acknowledged,
        ("mois", "catégorie"),
        description="Transmissions écrites dont au moins un professionnel a accusé la lecture.",
    ),
)
