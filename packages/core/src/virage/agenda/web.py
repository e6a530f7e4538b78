"""Web pages of the agenda (French, phone first, plain forms protected by CSRF, no JavaScript).

The pages are in ``web_views`` (home, « ma journée », week, free slots, a person),
``web_appointments`` (one appointment), ``web_booking``, ``web_availability`` (hours, absences,
teams) and ``web_calendar`` (import, settings, subscription, feed); this module lists their
controllers and renders the agenda's sections of other domains' pages."""

from __future__ import annotations

from datetime import timedelta

from virage.agenda import service
from virage.agenda.timeutil import (
    WEEKDAYS_FR,
    day_bounds,
    long_date,
    to_local,
    today_paris,
)
from virage.agenda.web_appointments import AgendaAppointmentPages
from virage.agenda.web_availability import AgendaAvailabilityPages
from virage.agenda.web_booking import AgendaBookingPages
from virage.agenda.web_calendar import AgendaCalendarPages, FeedEndpoint
from virage.agenda.web_forms import render_snippet
from virage.agenda.web_sync import AgendaSyncEndpoint
from virage.agenda.web_views import AgendaPages
from virage.web.sections import PageSection

#: The agenda's page controllers (all under ``/agenda``).
CONTROLLERS = [
    AgendaPages,
    AgendaAppointmentPages,
    AgendaBookingPages,
    AgendaAvailabilityPages,
    AgendaCalendarPages,
    FeedEndpoint,
    AgendaSyncEndpoint,
]


def person_section(access, plugins, person: dict) -> PageSection | None:
    """The "Agenda" section of a person's record: the next appointments."""
    sid = person["structure_id"]
    if not access.allowed("agenda.read", structure_id=sid):
        return None
    today = today_paris()
    rows = service.person_agenda(
        access,
        plugins,
        person["id"],
        day_bounds(today)[0],
        day_bounds(today + timedelta(days=30))[1],
        limit=12,
    )
    html = render_snippet(
        "agenda/_person_section.html",
        person=person,
        appointments=rows,
        can_book=access.allowed("agenda.book", structure_id=sid)
        or access.allowed("agenda.book.own", structure_id=sid),
    )
    return PageSection(title="Agenda", html=html, anchor="agenda", order=20)


def worker_section(db, user_id: int) -> PageSection:
    records = service.worker_records(db, user_id)
    for checkin in records["checkins"]:
        checkin["when"] = long_date(to_local(checkin["start_utc"]).date())
    html = render_snippet(
        "agenda/_worker_records.html",
        records=records,
        weekdays=WEEKDAYS_FR,
    )
    return PageSection(title="Agenda : pointages, horaires, absences", html=html, anchor="agenda")
