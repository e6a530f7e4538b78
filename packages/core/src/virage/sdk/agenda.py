"""The agenda, as plugins may use it: book, read, change the status of and cancel appointments,
find free slots, set working hours; and seed demo data.

A reception device (no worker signed in: a kiosk) reads the few facts of an appointment of today
it may know (``appointment_for_arrival``) and records the person's arrival (``mark_arrived``),
after its own checks of the device and of the person's convocation (SDK 1.6).
``structure_window`` lists a structure's appointments in a window, as the agenda's API does
(checks ``agenda.read``, audits; persons named as the reader may see them; SDK 1.6).

Every service function takes the :class:`~virage.sdk.AccessContext` of the worker who acts and the
:class:`~virage.sdk.PluginHost`: it checks the permission, audits, and calls the agenda's hooks
(``on_appointment_*``). Seeding functions write without a request (demo data, imports, tests).
"""

from __future__ import annotations

from virage.agenda.arrival import ARRIVAL_FIELDS, appointment_for_arrival, mark_arrived
from virage.agenda.kinds import CORE_KINDS
from virage.agenda.seeding import (
    attendee_ids,
    create_team,
    insert_absence,
    mark_done_before,
    replace_working_hours,
    seed_appointment,
    seed_series,
    series_occurrences,
    set_attendees,
    set_team_members,
    team_by_name,
    update_appointment,
)
from virage.agenda.service import (
    book,
    cancel,
    get,
    initials,
    search_free_slots,
    set_status,
    set_working_hours,
    structure_window,
)

__all__ = [
    "ARRIVAL_FIELDS",
    "CORE_KINDS",
    "appointment_for_arrival",
    "attendee_ids",
    "book",
    "cancel",
    "create_team",
    "get",
    "initials",
    "insert_absence",
    "mark_arrived",
    "mark_done_before",
    "replace_working_hours",
    "search_free_slots",
    "seed_appointment",
    "seed_series",
    "series_occurrences",
    "set_attendees",
    "set_status",
    "set_team_members",
    "set_working_hours",
    "structure_window",
    "team_by_name",
    "update_appointment",
]
