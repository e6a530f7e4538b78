"""What a visit card of « Ma journée » shows of the transmissions (importable from the service).

The agenda asks here, never the transmissions' tables: for each person of the worker's day,
whether she may read and write that person's transmissions (the core decides, person by person),
and the urgent transmissions she has not acknowledged yet — read only when she may read them,
audited like any list of transmissions.
"""

from __future__ import annotations

from collections.abc import Iterable

from virage.accounts import lookups
from virage.accounts.context import AccessContext
from virage.transmissions import card_storage, timefmt
from virage.transmissions.checks import UNACKNOWLEDGED_WINDOW, _now
from virage.transmissions.scope import _audited, decorate, reading_scope


def visit_cards(access: AccessContext, person_ids: Iterable[int]) -> dict[int, dict]:
    """``{person id: {"can_read", "can_write", "urgent": [transmissions]}}`` for these persons.

    ``urgent``: the urgent entries and corrections others wrote about her (last
    :data:`UNACKNOWLEDGED_WINDOW`) that the actor has not acknowledged, newest first; empty when
    she may not read that person's transmissions. Each person whose urgent transmissions are
    shown is audited (``transmissions.read``, view « ma journée »).
    """
    actor = access.require_login()
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    known = lookups.persons_by_id(access.db, wanted)
    read_persons, read_structures = reading_scope(access)
    write_persons, write_structures = reading_scope(access, "transmissions.write")

    def within(pid: int, persons: set, structures: set) -> bool:
        return pid in persons or known[pid]["structure_id"] in structures

    cards = {
        pid: {
            "can_read": within(pid, read_persons, read_structures),
            "can_write": within(pid, write_persons, write_structures)
            and known[pid].get("status") == "active",
            "urgent": [],
        }
        for pid in wanted
        if pid in known
    }
    readable = [pid for pid, card in cards.items() if card["can_read"]]
    since = timefmt.to_iso(_now() - UNACKNOWLEDGED_WINDOW)
    rows = card_storage.urgent_unacknowledged_by(access.db, readable, actor.user_id, since)
    for row in decorate(access, _audited(access, rows, "ma journée")):
        cards[row["person_id"]]["urgent"].append(row)
    return cards
