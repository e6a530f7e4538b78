"""The visit cards of « Ma journée »: the day's appointments, their state as the worker sees it,
and what the transmissions say about each person (asked to the transmissions' service, which
checks who may read what and audits it; the agenda never reads their tables).
"""

from __future__ import annotations

from datetime import date

from virage.accounts.context import AccessContext
from virage.agenda.reading import my_day
from virage.plugins import PluginHost
from virage.transmissions import service as transmissions

IN_PROGRESS = "En cours"


def visit_state(status: str, checked_in_at: str | None, checked_out_at: str | None) -> tuple:
    """``(state, label)``: « En cours » between « Je suis arrivé·e » and « Visite terminée »."""
    if status in ("planned", "confirmed") and checked_in_at and not checked_out_at:
        return "in_progress", IN_PROGRESS
    return status, None


def my_day_cards(access: AccessContext, plugins: PluginHost, day: date) -> list[dict]:
    """:func:`virage.agenda.reading.my_day`, each entry with ``state``/``state_label`` and
    ``transmissions`` (``can_read``, ``can_write``, ``urgent``: the person's urgent transmissions
    the worker has not acknowledged yet), or ``None`` for an appointment without a person."""
    rows = my_day(access, plugins, day)
    person_ids = [r["person"]["id"] for r in rows if r.get("person") and r["person"].get("id")]
    cards = transmissions.visit_cards(access, person_ids) if person_ids else {}
    for row in rows:
        state, label = visit_state(row["status"], row["checked_in_at"], row["checked_out_at"])
        row["state"] = state
        row["state_label"] = label or row["status_label"]
        person = row.get("person") or {}
        row["transmissions"] = cards.get(person.get("id"))
    return rows
