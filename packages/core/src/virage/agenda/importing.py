"""Import of ``.ics`` files as appointments (API, web page and ``virage agenda import``).

A file is untrusted input read by third-party parsers, so before ``icalendar`` sees it:

- its size, number of lines and of events and depth of nesting are bounded (``MAX_IMPORT_*``,
  ``MAX_DEPTH``), and over HTTP it is parsed in a worker thread, one file at a time (parsing 2,000
  events from Outlook takes seconds: the event loop keeps answering meanwhile);
- its ``VTIMEZONE`` components are dropped: ``icalendar`` and ``dateutil`` would expand their
  recurrence rules without bound. Time zones are the known ones (IANA names such as
  ``Europe/Paris``, Windows names such as ``Romance Standard Time``); an event in an unknown time
  zone is refused rather than read in the wrong one;
- each event's rule goes through :mod:`virage.agenda.rules` like any other (via the booking);
  ``EXDATE`` lists are bounded, ``RDATE`` and several ``RRULE`` are refused;
- the occurrences created by one file are bounded (``MAX_IMPORT_OCCURRENCES``).

Text from the file echoed in the report or in a message (identifiers, titles, parser messages) is
cleaned of control characters and terminal escapes, and shortened (:func:`limits.excerpt`).
"""

from __future__ import annotations

import asyncio
import re
import weakref
from contextlib import nullcontext
from datetime import date, datetime, timedelta
from typing import Any

import anyio
import anyio.to_thread
import icalendar

from virage.accounts.context import AccessContext
from virage.agenda import storage_imports, storage_series
from virage.agenda.booking import book
from virage.agenda.kinds import AppointmentKind, get_kind, registry
from virage.agenda.limits import check_moment, clean_line, excerpt
from virage.agenda.timeutil import MAX_DURATION, PARIS, iso, local_naive, to_utc
from virage.errors import InvalidInput, TooManyRequests, VirageError
from virage.plugins import PluginHost

MAX_IMPORT_BYTES = 2_000_000
MAX_IMPORT_EVENTS = 2000
MAX_IMPORT_LINES = 60_000
#: Files waiting for the parsing thread beyond which an import is refused (429).
PARSE_QUEUE = 2
MAX_IMPORT_OCCURRENCES = 20_000
MAX_EXDATES = 500
MAX_DEPTH = 8
MAX_UID = 255
#: What can go wrong when a third-party parser reads an untrusted value.
PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)

_FOLD = re.compile(r"\r?\n[ \t]")
_LINES = re.compile(r"\r\n|\r|\n")
_BEGIN_END = re.compile(r"(BEGIN|END)(?:;[^:]*)?:(.*)", re.IGNORECASE)
_limiters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _prepare(content: bytes) -> bytes:
    """The file without its VTIMEZONE components, once its shape is known to be reasonable."""
    if len(content) > MAX_IMPORT_BYTES:
        raise InvalidInput("Le fichier dépasse 2 Mo : découpez-le.")
    lines = _LINES.split(_FOLD.sub("", content.decode("utf-8", errors="replace")))
    if len(lines) > MAX_IMPORT_LINES:
        raise InvalidInput(
            f"Ce fichier compte plus de {MAX_IMPORT_LINES} lignes : découpez-le en plusieurs "
            "fichiers."
        )
    kept: list[str] = []
    depth, events, skipping = 0, 0, 0
    for line in lines:
        match = _BEGIN_END.fullmatch(line.strip())
        name = match.group(2).strip().upper() if match else ""
        if match and match.group(1).upper() == "BEGIN":
            depth += 1
            if depth > MAX_DEPTH:
                raise InvalidInput(
                    f"Ce fichier imbrique plus de {MAX_DEPTH} niveaux de composants : ce n'est "
                    "pas un calendrier iCalendar lisible."
                )
            events += name == "VEVENT"
            skipping += bool(skipping) or name == "VTIMEZONE"
        elif match:
            depth -= 1
            if skipping:
                skipping -= 1
                continue
        if not skipping:
            kept.append(line)
    if events > MAX_IMPORT_EVENTS:
        raise InvalidInput(
            f"Ce fichier contient {events} événements : {MAX_IMPORT_EVENTS} au plus."
        )
    return "\r\n".join(kept).encode()


def parse(content: bytes) -> list:
    """The VEVENT components of a file (bounded, see the module's notes), or ``InvalidInput``."""
    try:
        calendar = icalendar.Calendar.from_ical(_prepare(content))
        return list(calendar.walk("VEVENT"))
    except VirageError:
        raise
    except (*PARSE_ERRORS, RecursionError) as exc:
        raise InvalidInput(
            f"Ce fichier n'est pas un calendrier iCalendar lisible ({excerpt(exc, 120)})."
        ) from None


async def parse_in_thread(content: bytes) -> list:
    """``parse`` in a worker thread, one file at a time per event loop."""
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(1)
    if limiter.statistics().tasks_waiting >= PARSE_QUEUE:
        raise TooManyRequests(
            "D'autres fichiers sont en cours d'import : réessayez dans quelques instants."
        )
    return await anyio.to_thread.run_sync(parse, content, limiter=limiter)


def _to_datetime(value: Any, field: str) -> datetime:
    if isinstance(value, datetime):
        check_moment(value, field)
        return to_utc(value)  # naive (floating) times are read as Paris time
    if isinstance(value, date):
        raise InvalidInput(
            f"{field} : événement sur la journée entière, non importé (une absence se déclare "
            "dans les disponibilités)."
        )
    raise InvalidInput(f"{field} : date illisible.")


def _decoded(event, name: str) -> datetime:
    """A date property, refused when its time zone is unknown (it would be read as Paris time)."""
    prop = event.get(name)
    value = event.decoded(name)
    tzid = getattr(prop, "params", {}).get("TZID")
    if tzid and isinstance(value, datetime) and value.tzinfo is None:
        raise InvalidInput(
            f"{name} : fuseau horaire « {excerpt(tzid, 40)} » inconnu. Exportez le calendrier "
            "avec des fuseaux standard (Europe/Paris)."
        )
    return _to_datetime(value, name)


def _exdates(event) -> list[datetime]:
    raw = event.get("exdate")
    if raw is None:
        return []
    values = [value.dt for item in (raw if isinstance(raw, list) else [raw]) for value in item.dts]
    if len(values) > MAX_EXDATES:
        raise InvalidInput(f"plus de {MAX_EXDATES} exceptions (EXDATE) : découpez la série.")
    return [local_naive(_to_datetime(value, "EXDATE")) for value in values]


def _event_data(event, kind, professional_ids: list[int], force: bool) -> dict[str, Any]:
    if event.get("recurrence-id") is not None:
        raise InvalidInput(
            "modification ponctuelle d'une série (RECURRENCE-ID) : importez la série, puis "
            "modifiez l'occurrence dans Virage."
        )
    if str(event.get("status", "")).upper() == "CANCELLED":
        raise InvalidInput("événement annulé : ignoré.")
    if event.get("dtstart") is None:
        raise InvalidInput("événement sans date de début (DTSTART).")
    if event.get("rdate") is not None:
        raise InvalidInput("dates ajoutées à une série (RDATE) : importez-les à part.")
    uid = str(event.get("uid")) if event.get("uid") else None
    if uid is not None and len(uid) > MAX_UID:
        raise InvalidInput(f"identifiant UID de plus de {MAX_UID} caractères.")
    start = _decoded(event, "dtstart")
    if event.get("dtend") is not None:
        end = _decoded(event, "dtend")
    elif event.get("duration") is not None:
        duration = event.decoded("duration")
        if not isinstance(duration, timedelta) or abs(duration) > MAX_DURATION:
            raise InvalidInput("Un rendez-vous dure au plus sept jours.")
        end = start + duration
    else:
        end = start + timedelta(minutes=kind.default_minutes)
    summary = clean_line(str(event.get("summary") or ""))[:120] or kind.label
    location = clean_line(str(event.get("location") or ""))[:300] or None
    data: dict[str, Any] = {
        "kind": kind.name,
        "title": summary,
        "start": start.astimezone(PARIS),
        "end": end.astimezone(PARIS),
        "professional_ids": professional_ids,
        "person_id": None,
        "place": "other" if location and kind.default_place != "remote" else None,
        "place_detail": location,
        "force": force,
        "ical_uid": uid,
    }
    rules = event.get("rrule")
    if rules is not None:
        if isinstance(rules, list) and len(rules) > 1:
            raise InvalidInput("plusieurs règles de répétition (RRULE) : une seule est acceptée.")
        rule = rules[0] if isinstance(rules, list) else rules
        data["recurrence"] = {"rrule": rule.to_ical().decode(), "exdates": _exdates(event)}
    return data


def check_import(
    access: AccessContext, plugins: PluginHost, structure_id: int, kind: str, dry_run: bool
) -> AppointmentKind:
    """May the actor import into this structure, as appointments of this kind? (Before parsing.)"""
    access.require(
        "agenda.import",
        structure_id=structure_id,
        action="agenda.import",
        details={"simulation": dry_run},
    )
    chosen = get_kind(registry(plugins), kind)
    if chosen.person == "required":
        raise InvalidInput(
            f"Les rendez-vous « {chosen.label} » demandent une personne : un fichier .ics ne "
            "permet pas de la désigner. Choisissez un autre type (réunion, rendez-vous…)."
        )
    return chosen


def import_calendar(
    access: AccessContext,
    plugins: PluginHost,
    structure_id: int,
    content: bytes,
    *,
    professional_ids: list[int],
    kind: str,
    dry_run: bool = False,
    force: bool = False,
) -> dict[str, Any]:
    """Import the events of an ``.ics`` file as appointments of the chosen professionals.

    Every event is either created (single or recurring, with RRULE and EXDATE) or rejected with
    its reason; with ``dry_run`` nothing is written (conflicts between the file's events are
    still detected). Returns ``{"dry_run", "created": [...], "rejected": [...]}``.
    """
    chosen = check_import(access, plugins, structure_id, kind, dry_run)
    return import_events(
        access, plugins, structure_id, parse(content), chosen, professional_ids, dry_run, force
    )


async def import_calendar_async(
    access: AccessContext,
    plugins: PluginHost,
    structure_id: int,
    content: bytes,
    *,
    professional_ids: list[int],
    kind: str,
    dry_run: bool = False,
    force: bool = False,
) -> dict[str, Any]:
    """``import_calendar`` for HTTP handlers: the file is parsed in a worker thread."""
    chosen = check_import(access, plugins, structure_id, kind, dry_run)
    events = await parse_in_thread(content)
    return import_events(
        access, plugins, structure_id, events, chosen, professional_ids, dry_run, force
    )


def import_events(
    access: AccessContext,
    plugins: PluginHost,
    structure_id: int,
    events: list,
    chosen: AppointmentKind,
    professional_ids: list[int],
    dry_run: bool,
    force: bool,
) -> dict[str, Any]:
    if not events:
        raise InvalidInput("Ce fichier ne contient aucun événement (VEVENT).")
    created: list[dict] = []
    rejected: list[dict] = []
    seen_uids: set[str] = set()
    occurrences = 0
    db = access.db
    if dry_run:
        db.begin()  # rolled back at the end: what each event would write is seen by the next
    try:
        for event in events:
            uid = str(event.get("uid")) if event.get("uid") else None
            summary = str(event.get("summary")) if event.get("summary") else None
            line = {"uid": excerpt(uid) if uid else None, "summary": None, "start": None}
            line["summary"] = excerpt(summary) if summary else None
            try:
                if occurrences >= MAX_IMPORT_OCCURRENCES:
                    raise InvalidInput(
                        f"ce fichier a déjà produit {occurrences} rendez-vous, la limite d'un "
                        "import : importez la suite dans un autre fichier."
                    )
                try:
                    data = _event_data(event, chosen, professional_ids, force)
                except PARSE_ERRORS as exc:
                    raise InvalidInput(f"événement illisible ({excerpt(exc, 80)}).") from None
                line["start"] = iso(data["start"])
                if uid and (
                    uid in seen_uids or storage_imports.uid_imported(db, structure_id, uid)
                ):
                    raise InvalidInput("déjà importé (même identifiant UID).")
                # A simulation undoes a refused event alone, as the real import's transaction
                # per event does (PostgreSQL also needs it to go on after a failed statement).
                with db.savepoint("import_event") if dry_run else nullcontext():
                    result = book(access, plugins, structure_id, data, notify=not dry_run)
                line["appointment_id"] = result["id"]
                line["series_id"] = result["series_id"]
                occurrences += (
                    storage_series.count_series_rows(db, result["series_id"])
                    if result["series_id"]
                    else 1
                )
                created.append(line)
                if uid:
                    seen_uids.add(uid)
            except VirageError as exc:
                line["reason"] = excerpt(exc.message, 400)
                rejected.append(line)
    finally:
        if dry_run:
            db.rollback()
    access.audit(
        "agenda.imported",
        structure_id=structure_id,
        details={"crees": len(created), "rejetes": len(rejected), "simulation": dry_run},
    )
    return {"dry_run": dry_run, "created": created, "rejected": rejected}
