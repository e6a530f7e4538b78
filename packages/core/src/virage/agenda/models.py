"""Models at the boundary of the agenda (API bodies and answers).

Dates and times sent without an offset (``2026-03-30T08:00``) are read as Europe/Paris wall-clock
times; answers give both the UTC instant (``start``) and the Paris time (``start_local``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from virage.agenda.limits import DATE_RANGE, DbId, in_range
from virage.partial import PartialUpdate

Place = Literal["home", "structure", "other", "remote"]
Status = Literal["planned", "confirmed", "done", "cancelled", "missed"]
Scope = Literal["one", "following", "series"]

START_DOC = "Début, heure de Paris si aucun décalage n'est indiqué (AAAA-MM-JJTHH:MM)"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _in_range(value):
    """Dates outside the accepted years are refused before any arithmetic (see limits)."""
    if value is not None and not in_range(value):
        raise ValueError(DATE_RANGE)
    return value


#: A date and time, or a date, within the years the agenda accepts.
Moment = Annotated[datetime, AfterValidator(_in_range)]
DayOrMoment = Annotated[datetime | date, AfterValidator(_in_range)]


class RecurrenceIn(BaseModel):
    rrule: str = Field(
        min_length=6,
        max_length=300,
        description="Règle iCalendar (RRULE) : FREQ=DAILY, FREQ=WEEKLY;BYDAY=TU, "
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20261231…",
        examples=["FREQ=DAILY", "FREQ=WEEKLY;BYDAY=TU;COUNT=10"],
    )
    exdates: list[Moment] = Field(
        default_factory=list,
        max_length=500,
        description="Occurrences exclues (EXDATE), à l'heure de début de l'occurrence",
    )


class AppointmentCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    kind: str = Field(description="Type : home_visit, structure_appointment, meeting, on_call…")
    title: str | None = Field(
        default=None,
        max_length=120,
        description="Intitulé visible de l'agenda (secrétariat compris) : pas d'information de santé",
    )
    start: Moment = Field(description=START_DOC)
    end: Moment | None = Field(default=None, description="Fin (sinon : start + duration_minutes)")
    duration_minutes: int | None = Field(default=None, ge=5, le=7 * 24 * 60)
    professional_ids: list[DbId] = Field(min_length=1, max_length=20)
    person_id: DbId | None = None
    place: Place | None = Field(default=None, description="Par défaut : le lieu du type")
    place_detail: str | None = Field(default=None, max_length=300, description="Adresse, salle…")
    status: Literal["planned", "confirmed"] = "planned"
    notes: str = Field(
        default="", max_length=5000, description="Notes de soins : équipe de soins seulement"
    )
    to_bring: str = Field(
        default="", max_length=500, description="À apporter (matériel, documents)"
    )
    recurrence: RecurrenceIn | None = None
    force: bool = Field(
        default=False, description="Réserver malgré un conflit (coordination seulement)"
    )


class AppointmentUpdate(PartialUpdate):
    """Partial change: only the fields sent are changed (``null`` is refused: send an empty
    text to empty a text)."""

    modifiers = frozenset({"force"})

    kind: str = None
    title: str = Field(default=None, min_length=1, max_length=120)
    start: Moment = Field(default=None, description=START_DOC)
    end: Moment = None
    duration_minutes: int = Field(default=None, ge=5, le=7 * 24 * 60)
    professional_ids: list[DbId] = Field(default=None, min_length=1, max_length=20)
    place: Place = None
    place_detail: str = Field(default=None, max_length=300)
    notes: str = Field(default=None, max_length=5000)
    to_bring: str = Field(default=None, max_length=500)
    rrule: str = Field(
        default=None, max_length=300, description="Nouvelle règle (portée following ou series)"
    )
    force: bool = False


class CancelIn(BaseModel):
    reason: str = Field(min_length=3, max_length=300, description="Motif de l'annulation")
    scope: Scope = "one"

    _strip = field_validator("reason", mode="before")(_strip)


class StatusIn(BaseModel):
    status: Literal["planned", "confirmed", "done", "missed"]
    force: bool = False


class Professional(BaseModel):
    id: int
    display_name: str


class PersonBrief(BaseModel):
    id: int
    display: str = Field(
        description="Nom complet, ou initiales si vous n'avez pas accès à l'identité"
    )
    identity: bool = Field(description="True si le nom complet et l'adresse sont visibles")
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    phone: str | None = None


class Checkin(BaseModel):
    user_id: int
    display_name: str
    checked_in_at: str | None
    checked_out_at: str | None


class Appointment(BaseModel):
    id: int
    structure_id: int
    series_id: int | None
    recurrence_id: str | None
    kind: str
    kind_label: str
    title: str
    start: str = Field(description="Début (UTC)")
    end: str = Field(description="Fin (UTC)")
    start_local: str = Field(description="Début, heure de Paris")
    end_local: str = Field(description="Fin, heure de Paris")
    professionals: list[Professional]
    person: PersonBrief | None
    place: str
    place_label: str
    place_detail: str | None
    status: Status
    status_label: str
    cancel_reason: str | None
    has_notes: bool
    notes: str | None = Field(description="null si vous n'avez pas accès aux notes de soins")
    to_bring: str
    forced: bool
    rrule: str | None = Field(description="Règle de la série (RRULE), si répété")
    checkins: list[Checkin] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class DayEntry(BaseModel):
    id: int
    structure_id: int
    kind: str
    kind_label: str
    title: str
    start: str
    end: str
    start_local: str
    end_local: str
    status: Status
    cancel_reason: str | None
    person: PersonBrief | None
    place: str
    place_label: str
    place_detail: str | None
    to_bring: str
    has_notes: bool
    colleagues: list[Professional]
    checked_in_at: str | None
    checked_out_at: str | None
    recurring: bool


class Day(BaseModel):
    date: date
    appointments: list[DayEntry]


class WeekEntry(BaseModel):
    id: int | None = Field(description="null quand le rendez-vous relève d'une autre structure")
    professional_id: int
    title: str
    kind: str | None
    start: str
    end: str
    start_local: str
    end_local: str
    status: str | None
    person: PersonBrief | None
    masked: bool


class Week(BaseModel):
    start: date
    professionals: list[Professional]
    appointments: list[WeekEntry]


class SlotOut(BaseModel):
    start: str
    end: str
    start_local: str
    end_local: str
    professionals: list[Professional]


class WorkingSlot(BaseModel):
    weekday: int = Field(ge=0, le=6, description="0 = lundi … 6 = dimanche")
    start: str = Field(pattern=r"^\d{2}:\d{2}$", examples=["08:30"])
    end: str = Field(pattern=r"^\d{2}:\d{2}$", examples=["12:30"])


class WorkingHours(BaseModel):
    user_id: int
    declared: bool = Field(
        description="False : aucun horaire déclaré, horaires par défaut supposés"
    )
    slots: list[WorkingSlot]


class WorkingHoursIn(BaseModel):
    slots: list[WorkingSlot] = Field(max_length=50)


class AbsenceIn(BaseModel):
    kind: Literal["leave", "training", "absence"] = Field(
        description="leave (congé), training (formation), absence (sans motif : ne jamais "
        "enregistrer de motif médical)"
    )
    start: DayOrMoment = Field(description="Début (date : dès 0 h ; heure de Paris)")
    end: DayOrMoment = Field(description="Fin (date : jusqu'au soir inclus)")


class Absence(BaseModel):
    id: int
    user_id: int
    kind: str
    kind_label: str
    start: str
    end: str


class TeamIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=80)
    member_ids: list[DbId] = Field(default_factory=list, max_length=300)


class Team(BaseModel):
    id: int
    structure_id: int
    name: str
    member_ids: list[int]


class Feed(BaseModel):
    url: str = Field(description="Adresse d'abonnement (secrète : affichée une seule fois)")
    created_at: str


class ImportLine(BaseModel):
    uid: str | None
    summary: str | None
    start: str | None
    reason: str | None = None
    appointment_id: int | None = None
    series_id: int | None = None


class ImportReport(BaseModel):
    dry_run: bool
    created: list[ImportLine]
    rejected: list[ImportLine]


class Kind(BaseModel):
    name: str
    label: str
    default_place: str
    default_minutes: int
    blocks: bool
    person: str
