"""What the agenda's API controllers share: the structure of the bearer token, checked
identifiers and day windows, the listing entry."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from litestar.params import PathParameter
from pydantic import BaseModel

from virage.agenda.limits import MAX_ID, check_day, check_id
from virage.agenda.models import (
    PersonBrief,
    Professional,
)
from virage.agenda.timeutil import day_bounds, today_paris
from virage.errors import InvalidInput

Id = Annotated[int, PathParameter(ge=1, le=MAX_ID)]


def token_structure(access) -> int:
    actor = access.require_login()
    if actor.token_structure_id is None:
        raise InvalidInput("Ce point d'accès demande un jeton rattaché à une structure.")
    return actor.token_structure_id


class AgendaEntry(BaseModel):
    id: int
    structure_id: int
    kind: str
    kind_label: str
    title: str
    start: str
    end: str
    start_local: str
    end_local: str
    status: str
    status_label: str
    cancel_reason: str | None
    person: PersonBrief | None
    place: str
    place_label: str
    place_detail: str | None
    to_bring: str
    has_notes: bool
    professionals: list[Professional]
    recurring: bool


def checked_ids(values: list[int] | None, field: str) -> list[int] | None:
    return [check_id(v, field) for v in values] if values else values


def day_window(start: date | None, end: date | None, default_days: int = 7) -> tuple[Any, Any]:
    first = check_day(start, "start") or today_paris()
    last = check_day(end, "end") or first + timedelta(days=default_days - 1)
    if last < first:
        raise InvalidInput("La date de fin doit suivre la date de début.")
    if (last - first).days > 92:
        raise InvalidInput("Demandez 93 jours au plus.")
    return day_bounds(first)[0], day_bounds(last)[1]
