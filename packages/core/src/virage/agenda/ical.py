"""iCalendar: the per-professional subscription feed (the import of ``.ics`` files is in
:mod:`virage.agenda.importing`).

The feed carries no health data: never the care notes nor "what to bring"; a person appears only
as the structure allows (its calendar privacy, :mod:`virage.agenda.privacy`: ``none``,
``initials`` — the default — or ``name``) and only when the feed's owner may know them (access
model). Its secret address is stored hashed, revocable, and every read is written to the audit
trail.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import icalendar

from virage import __version__, db_scope
from virage.access import Actor, Registry
from virage.accounts import lookups
from virage.accounts import service as accounts_service
from virage.accounts.context import AccessContext
from virage.agenda import storage_feeds, storage_views
from virage.agenda.kinds import PLACES, registry
from virage.agenda.people import Deciders, initials
from virage.agenda.privacy import DEFAULT_PRIVACY, calendar_privacy
from virage.agenda.series import ensure_materialised
from virage.agenda.timeutil import (
    day_bounds,
    iso,
    parse_iso,
    today_paris,
)
from virage.db import transaction, utcnow_iso
from virage.errors import InvalidInput, NotFound
from virage.plugins import PluginHost

FEED_PREFIX = "vcal_"
FEED_PAST = timedelta(days=31)
FEED_FUTURE = timedelta(days=120)
FEED_GONE = "Cet abonnement de calendrier n'existe pas ou a été révoqué."

# --------------------------------------------------------------------------- feed tokens


def create_feed(access: AccessContext) -> str:
    """Create the actor's subscription secret (replacing any previous one); shown once."""
    actor = access.require_login()
    if not actor.memberships:
        raise InvalidInput("Un abonnement de calendrier demande d'appartenir à une structure.")
    secret = FEED_PREFIX + secrets.token_urlsafe(32)
    with transaction(access.db):
        storage_feeds.create_feed(access.db, actor.user_id, accounts_service.hash_secret(secret))
        access.audit("agenda.feed.created", target=f"user:{actor.user_id}")
    return secret


def revoke_feed(access: AccessContext) -> int:
    actor = access.require_login()
    count = storage_feeds.revoke_feeds(access.db, actor.user_id)
    if count:
        access.audit("agenda.feed.revoked", target=f"user:{actor.user_id}")
    return count


def _feed_actor(db, secret: str) -> tuple[dict, Actor]:
    secret = (secret or "").removesuffix(".ics")
    if not secret.startswith(FEED_PREFIX):
        raise NotFound(FEED_GONE)
    feed = storage_feeds.feed_by_hash(db, accounts_service.hash_secret(secret))
    if feed is None or feed["revoked_at"]:
        raise NotFound(FEED_GONE)
    user = lookups.user(db, feed["user_id"])
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
        text = initials(person["given_names"], person["family_name"])
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
    """The iCalendar text of a professional's subscription (raises ``NotFound`` if revoked).

    The request has no session: once the secret names its owner, it acts for her structures
    (PostgreSQL's row-level security), as her signed-in requests do.
    """
    feed, actor = _feed_actor(db, secret)
    acting = db_scope.acting_for(actor.structure_ids, actor.user_id)
    try:
        return _feed_text(db, plugins, registry_, feed, actor, base_url, route, today)
    finally:
        db_scope.reset(acting)


def _feed_text(db, plugins, registry_, feed, actor, base_url, route, today) -> bytes:
    access = AccessContext(db, registry_, actor, route=route)
    kinds = registry(plugins)
    day = today or today_paris()
    start = day_bounds(day)[0] - FEED_PAST
    end = day_bounds(day)[1] + FEED_FUTURE
    ensure_materialised(db, kinds, end)
    rows = [
        r
        for r in storage_views.feed_rows(db, actor.user_id, iso(start), iso(end))
        if actor.role_in(r["structure_id"]) is not None
    ]
    privacy = calendar_privacy(db, {r["structure_id"] for r in rows})
    structures = {
        s["id"]: s for s in lookups.structures(db, sorted({r["structure_id"] for r in rows}))
    }
    deciders = Deciders(access, [r["person_id"] for r in rows])

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
            privacy.get(row["structure_id"], DEFAULT_PRIVACY),
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
    storage_feeds.touch_feed(db, feed["id"], now)
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
        if privacy.get(row["structure_id"], DEFAULT_PRIVACY) == "none" or person is None:
            return ""
        return person.get("city") or ""
    return ""


def my_feeds(access: AccessContext) -> list[dict]:
    """The actor's calendar subscriptions (active and revoked), newest first."""
    actor = access.require_login()
    return storage_feeds.feeds_of_user(access.db, actor.user_id)
