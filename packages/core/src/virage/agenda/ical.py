"""iCalendar: the per-professional subscription feed, and the import of ``.ics`` files.

The feed carries no health data: never the care notes nor "what to bring"; a person appears only
as the structure allows (``structures.calendar_privacy``: ``none``, ``initials`` — the default —
or ``name``) and only when the feed's owner may know them (access model). Its secret address is
stored hashed, revocable, and every read is written to the audit trail.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from typing import Any

import icalendar

from virage import __version__
from virage.access import Actor, Registry
from virage.accounts import service as accounts_service
from virage.accounts import storage as accounts_storage
from virage.accounts.context import AccessContext
from virage.agenda import service, storage
from virage.agenda.kinds import PLACES, get_kind, registry
from virage.agenda.timeutil import (
    PARIS,
    day_bounds,
    iso,
    local_naive,
    parse_iso,
    to_utc,
    today_paris,
)
from virage.db import transaction, utcnow_iso
from virage.errors import InvalidInput, NotFound, VirageError
from virage.plugins import PluginHost

FEED_PREFIX = "vcal_"
FEED_PAST = timedelta(days=31)
FEED_FUTURE = timedelta(days=120)
MAX_IMPORT_BYTES = 2_000_000
MAX_IMPORT_EVENTS = 2000
FEED_GONE = "Cet abonnement de calendrier n'existe pas ou a été révoqué."

# --------------------------------------------------------------------------- feed tokens


def create_feed(access: AccessContext) -> str:
    """Create the actor's subscription secret (replacing any previous one); shown once."""
    actor = access.require_login()
    if not actor.memberships:
        raise InvalidInput("Un abonnement de calendrier demande d'appartenir à une structure.")
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    with transaction(access.db):
        storage.create_feed(access.db, actor.user_id, accounts_service.hash_secret(secret))
        access.audit("agenda.feed.created", target=f"user:{actor.user_id}")
    return secret


def revoke_feed(access: AccessContext) -> int:
    actor = access.require_login()
    count = storage.revoke_feeds(access.db, actor.user_id)
    if count:
        access.audit("agenda.feed.revoked", target=f"user:{actor.user_id}")
    return count


def _feed_actor(db, secret: str) -> tuple[dict, Actor]:
    secret = (secret or "").removesuffix(".ics")
    if not secret.startswith(FEED_PREFIX):
        raise NotFound(FEED_GONE)
    feed = storage.feed_by_hash(db, accounts_service.hash_secret(secret))
    if feed is None or feed["revoked_at"]:
        raise NotFound(FEED_GONE)
    user = accounts_storage.get_user(db, feed["user_id"])
    if user is None or not user["active"]:
        raise NotFound(FEED_GONE)
    actor = accounts_service.actor_for_user(db, user, via="feed")
    return feed, actor


# --------------------------------------------------------------------------- feed content


def _person_text(privacy: str, person: dict | None, identity: bool) -> str:
    if person is None or privacy == "none":
        return ""
    if privacy == "name" and identity:
        text = f"{person['given_names']} {person['family_name'].upper()}"
    else:
        text = service.initials(person["given_names"], person["family_name"])
    return f"{text} ({person['city']})" if person.get("city") else text


def feed_calendar(
    db,
    plugins: PluginHost,
    registry_: Registry,
    secret: str,
    *,
    base_url: str = "",
    route: str = "GET /agenda/flux",
    today: date | None = None,
) -> bytes:
    """The iCalendar text of a professional's subscription (raises ``NotFound`` if revoked)."""
    feed, actor = _feed_actor(db, secret)
    access = AccessContext(db, registry_, actor, route=route)
    kinds = registry(plugins)
    day = today or today_paris()
    start = day_bounds(day)[0] - FEED_PAST
    end = day_bounds(day)[1] + FEED_FUTURE
    service.ensure_materialised(db, kinds, end)
    rows = [
        r
        for r in storage.feed_rows(db, actor.user_id, iso(start), iso(end))
        if actor.role_in(r["structure_id"]) is not None
    ]
    privacy = storage.structure_privacy(db, {r["structure_id"] for r in rows})
    structures = storage.structure_names(db, {r["structure_id"] for r in rows})
    deciders = service._Deciders(access, [r["person_id"] for r in rows])

    cal = icalendar.Calendar()
    cal.add("prodid", f"-//Virage//Agenda {__version__}//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Virage — {actor.display_name}")
    cal.add("x-wr-timezone", "Europe/Paris")
    cal.add("x-published-ttl", "PT1H")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for row in rows:
        kind = kinds.get(row["kind"])
        label = kind.label if kind else row["kind"]
        person = deciders.refs.get(row["person_id"], (None, None))[0]
        who = _person_text(
            privacy.get(row["structure_id"], "initials"),
            person,
            row["person_id"] is not None and deciders.identity(row["person_id"]),
        )
        summary = row["title"]  # meetings, on-call duty: the title says what it is
        if row["person_id"] is not None:  # visits: never the free-text title, only the kind
            summary = f"{label} — {who}" if who else label
        if row["status"] == "cancelled":
            summary = f"ANNULÉ · {summary}"
        event = icalendar.Event()
        event.add("uid", f"virage-agenda-{row['id']}@{structures[row['structure_id']]['id']}")
        event.add("dtstamp", parse_iso(row["updated_at"]))
        event.add("last-modified", parse_iso(row["updated_at"]))
        event.add("dtstart", parse_iso(row["start_utc"]))
        event.add("dtend", parse_iso(row["end_utc"]))
        event.add("summary", summary)
        event.add("categories", [label])
        event.add("status", "CANCELLED" if row["status"] == "cancelled" else "CONFIRMED")
        if kind is not None and not kind.blocks:
            event.add("transp", "TRANSPARENT")
        location = _location(row, structures, privacy, person)
        if location:
            event.add("location", location)
        text = f"{label} · {structures[row['structure_id']]['name']}"
        if base_url:
            text += f"\nDétails (connexion nécessaire) : {base_url}/agenda/rendez-vous/{row['id']}"
            event.add("url", f"{base_url}/agenda/rendez-vous/{row['id']}")
        event.add("description", text)
        cal.add_component(event)
    now = utcnow_iso()
    storage.touch_feed(db, feed["id"], now)
    for sid in sorted({r["structure_id"] for r in rows if r["person_id"] is not None}):
        access.audit(
            "agenda.feed.read",
            structure_id=sid,
            details={"rendez_vous": sum(1 for r in rows if r["structure_id"] == sid)},
        )
    return cal.to_ical()


def _location(row: dict, structures: dict, privacy: dict, person: dict | None) -> str:
    place = row["place"]
    if place == "structure":
        return structures[row["structure_id"]]["name"]
    if place == "remote":
        return PLACES["remote"]
    if place == "home":
        if privacy.get(row["structure_id"], "initials") == "none" or person is None:
            return ""
        return person.get("city") or ""
    return ""


# --------------------------------------------------------------------------- import


def _to_datetime(value: Any, field: str) -> datetime:
    if isinstance(value, datetime):
        return to_utc(value)  # naive (floating) times are read as Paris time
    if isinstance(value, date):
        raise InvalidInput(
            f"{field} : événement sur la journée entière, non importé (une absence se déclare "
            "dans les disponibilités)."
        )
    raise InvalidInput(f"{field} : date illisible.")


def _exdates(event) -> list[datetime]:
    raw = event.get("exdate")
    if raw is None:
        return []
    out = []
    for item in raw if isinstance(raw, list) else [raw]:
        for value in item.dts:
            out.append(local_naive(_to_datetime(value.dt, "EXDATE")))
    return out


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
    access.require(
        "agenda.import",
        structure_id=structure_id,
        action="agenda.import",
        details={"simulation": dry_run},
    )
    if len(content) > MAX_IMPORT_BYTES:
        raise InvalidInput("Le fichier dépasse 2 Mo : découpez-le.")
    kinds = registry(plugins)
    chosen = get_kind(kinds, kind)
    if chosen.person == "required":
        raise InvalidInput(
            f"Les rendez-vous « {chosen.label} » demandent une personne : un fichier .ics ne "
            "permet pas de la désigner. Choisissez un autre type (réunion, rendez-vous…)."
        )
    try:
        calendar = icalendar.Calendar.from_ical(content)
    except ValueError as exc:
        raise InvalidInput(
            f"Ce fichier n'est pas un calendrier iCalendar lisible ({exc})."
        ) from None
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise InvalidInput("Ce fichier ne contient aucun événement (VEVENT).")
    if len(events) > MAX_IMPORT_EVENTS:
        raise InvalidInput(
            f"Ce fichier contient {len(events)} événements : {MAX_IMPORT_EVENTS} au plus."
        )
    created: list[dict] = []
    rejected: list[dict] = []
    seen_uids: set[str] = set()
    db = access.db
    if dry_run:
        db.execute("BEGIN IMMEDIATE")
    try:
        for event in events:
            uid = str(event.get("uid")) if event.get("uid") else None
            summary = str(event.get("summary")) if event.get("summary") else None
            line = {"uid": uid, "summary": summary, "start": None}
            try:
                data = _event_data(event, chosen, professional_ids, force)
                line["start"] = iso(data["start"])
                if uid and (uid in seen_uids or storage.series_with_uid(db, structure_id, uid)):
                    raise InvalidInput("déjà importé (même identifiant UID).")
                result = service.book(access, plugins, structure_id, data, notify=not dry_run)
                line["appointment_id"] = result["id"]
                line["series_id"] = result["series_id"]
                created.append(line)
                if uid:
                    seen_uids.add(uid)
            except VirageError as exc:
                line["reason"] = exc.message
                rejected.append(line)
    finally:
        if dry_run:
            db.conn.rollback()
    access.audit(
        "agenda.imported",
        structure_id=structure_id,
        details={"crees": len(created), "rejetes": len(rejected), "simulation": dry_run},
    )
    return {"dry_run": dry_run, "created": created, "rejected": rejected}


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
    start = _to_datetime(event.decoded("dtstart"), "DTSTART")
    if event.get("dtend") is not None:
        end = _to_datetime(event.decoded("dtend"), "DTEND")
    elif event.get("duration") is not None:
        end = start + event.decoded("duration")
    else:
        end = start + timedelta(minutes=kind.default_minutes)
    summary = (str(event.get("summary") or "") or kind.label).strip()[:120]
    location = str(event.get("location") or "").strip()[:300] or None
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
        "ical_uid": str(event.get("uid")) if event.get("uid") else None,
    }
    if event.get("rrule") is not None:
        rules = event.get("rrule")
        rule = rules[0] if isinstance(rules, list) else rules
        data["recurrence"] = {
            "rrule": rule.to_ical().decode(),
            "exdates": _exdates(event),
        }
    return data
