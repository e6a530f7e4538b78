"""The organisational inboxes' indicators (hook ``register_indicators`` of
:mod:`virage.inboxes.plugin`): items received per month by kind of inbox, the share that went up
to the next level because nobody took them in time, the share closed.

**Nothing per worker and no response time.** An on-call inbox is answered by one person at a
time: a time to take or to answer an item would be that person's own figure (issue 23: nothing
measures an individual's response times), so none is computed, not even as a median. For the same
reason the share escalated (« nobody took it in time ») is left out of a month whose on-call items
went to fewer than :data:`MIN_ON_CALL` different people: it would say how one or two people did.

**The base** of a cell (what decides whether it is hidden) counts the distinct persons supported
the items name, plus one for each item that names nobody. An item naming nobody concerns the
organisation (a delivery, a colleague's question): it can tell nothing about a person, and
counting it as one keeps a month of thirty such items from being hidden because one of them names
somebody. A cell whose items name few persons and are few is hidden like any other.
"""

from __future__ import annotations

from virage.inboxes import indicator_storage
from virage.indicators.model import Cell, Indicator

#: Short labels of the kinds of inbox (the categories of « items received »).
KIND_LABELS = {"on_call": "Astreinte", "shared": "Boîte partagée"}


def base(rows: list[dict]) -> int:
    """Distinct persons named, plus one per item naming nobody."""
    named = {r["person_id"] for r in rows if r["person_id"] is not None}
    return len(named) + sum(1 for r in rows if r["person_id"] is None)


def _received(db, structure_id, start, end):
    kinds: dict[str, list[dict]] = {}
    for row in indicator_storage.items_received(db, structure_id, start, end):
        kinds.setdefault(KIND_LABELS.get(row["kind"], row["kind"]), []).append(row)
    return [Cell(kind, len(rows), base(rows)) for kind, rows in kinds.items()]


#: Fewest different people on call behind the share escalated (below, the month has none).
MIN_ON_CALL = 3


def _share(keep, *, about_on_call: bool = False):
    def compute(db, structure_id, start, end):
        rows = indicator_storage.items_received(db, structure_id, start, end)
        if not rows:
            return []
        if about_on_call:
            people = indicator_storage.on_call_people(db, structure_id, start, end)
            if 0 < people < MIN_ON_CALL:
                return []
        count = sum(1 for r in rows if keep(r))
        return [Cell("", round(100 * count / len(rows), 1), base(rows))]

    return compute


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "boites.elements_recus",
        "Éléments reçus par les boîtes organisationnelles",
        "éléments",
        _received,
        ("mois", "type"),
        description="Messages reçus dans le mois (de l'extérieur ou d'un collègue), par type de "
        "boîte ; jamais par personne d'astreinte, et aucun délai de réponse : une astreinte "
        "répond à une personne à la fois, son délai serait celui de cette personne.",
    ),
    Indicator(
        "boites.part_transmise",
        "Part des éléments transmis au niveau suivant",
        "%",
        _share(lambda r: int(r["escalation_level"] or 0) > 0, about_on_call=True),
        ("mois",),
        additive=False,
        description="Éléments reçus dans le mois que personne n'a pris à temps et qui sont "
        "passés au niveau suivant (direction, cadre d'astreinte) ; absente quand moins de "
        "trois personnes ont été d'astreinte ce mois-là.",
    ),
    Indicator(
        "boites.part_close",
        "Part des éléments clos",
        "%",
        _share(lambda r: r["status"] == "closed"),
        ("mois",),
        additive=False,
        description="Éléments reçus dans le mois qui sont clos aujourd'hui.",
    ),
)
