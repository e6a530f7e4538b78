"""The agenda's use cases, shared by the API, the web pages, the CLI, the calendar feeds, other
domains and plugins (``from virage.agenda import service`` then ``service.book(...)``).

Every use case takes an :class:`AccessContext`: the access check (and its audit entry) comes
first, then the storage calls. They live in modules of their own, all gathered here:

- :mod:`~virage.agenda.booking` (``book``), :mod:`~virage.agenda.reading` (``get``, ``my_day``,
  ``week``, ``person_agenda``, ``structure_window``, ``professionals_for``),
  :mod:`~virage.agenda.editing` (``update``), :mod:`~virage.agenda.status` (``cancel``,
  ``set_status``, ``checkin``);
- :mod:`~virage.agenda.availability` (working hours, absences, ``search_free_slots``),
  :mod:`~virage.agenda.teams`, :mod:`~virage.agenda.today` (``team_today``, who works today),
  :mod:`~virage.agenda.privacy` (calendar subscriptions);
- :mod:`~virage.agenda.series` (materialisation of recurring series),
  :mod:`~virage.agenda.conflicts`, :mod:`~virage.agenda.checks`, :mod:`~virage.agenda.people`;
- :mod:`~virage.agenda.records` (for other domains), :mod:`~virage.agenda.seeding` (demo data).
"""

from __future__ import annotations

from virage.agenda.availability import (
    MAX_SEARCH_DAYS,
    add_absence,
    delete_absence,
    get_working_hours,
    list_absences,
    search_free_slots,
    set_working_hours,
)
from virage.agenda.booking import book
from virage.agenda.common import APPOINTMENT_NOT_FOUND, PROTECTED, TRANSITIONS, log
from virage.agenda.editing import update
from virage.agenda.kinds import ABSENCE_KINDS, kinds_list
from virage.agenda.people import initials
from virage.agenda.privacy import (
    PRIVACY,
    calendar_privacy,
    set_calendar_privacy,
    store_calendar_privacy,
)
from virage.agenda.reading import (
    get,
    my_day,
    person_agenda,
    professionals_for,
    structure_window,
    week,
)
from virage.agenda.records import worker_records
from virage.agenda.rules import MAX_COUNT as MAX_OCCURRENCES
from virage.agenda.seeding import seed_appointment, seed_series
from virage.agenda.series import BOUNDED_SPAN, EXTEND_CHUNK, HORIZON, ensure_materialised
from virage.agenda.series_state import restore_series
from virage.agenda.status import cancel, checkin, set_status
from virage.agenda.teams import delete_team, list_teams, save_team, structure_teams, team_of
from virage.agenda.today import team_today

__all__ = [
    "ABSENCE_KINDS",
    "APPOINTMENT_NOT_FOUND",
    "BOUNDED_SPAN",
    "EXTEND_CHUNK",
    "HORIZON",
    "MAX_OCCURRENCES",
    "MAX_SEARCH_DAYS",
    "PRIVACY",
    "PROTECTED",
    "TRANSITIONS",
    "add_absence",
    "book",
    "calendar_privacy",
    "cancel",
    "checkin",
    "delete_absence",
    "delete_team",
    "ensure_materialised",
    "get",
    "get_working_hours",
    "initials",
    "kinds_list",
    "list_absences",
    "list_teams",
    "log",
    "my_day",
    "person_agenda",
    "professionals_for",
    "restore_series",
    "save_team",
    "search_free_slots",
    "seed_appointment",
    "seed_series",
    "set_calendar_privacy",
    "set_status",
    "set_working_hours",
    "store_calendar_privacy",
    "structure_teams",
    "structure_window",
    "team_of",
    "team_today",
    "update",
    "week",
    "worker_records",
]
