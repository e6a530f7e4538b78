"""Reading transmissions: one, a person's thread, what is new since my prise de poste, the
unacknowledged urgent ones, the printed transfer (importable from the service).

Every function checks access first (and writes the audit entry) through the ``AccessContext``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from virage.accounts import lookups, objections
from virage.accounts.context import AccessContext
from virage.audit import service as audit
from virage.errors import InvalidInput
from virage.limits import check_year
from virage.transmissions import storage, timefmt
from virage.transmissions.checks import (
    FALLBACK_PERIOD,
    UNACKNOWLEDGED_WINDOW,
    URGENT_WINDOW,
    _author_label,
    _load,
    _now,
)
from virage.transmissions.scope import _audited, _with_persons, decorate, reading_scope
from virage.transmissions.targets import CATEGORIES


def get(access: AccessContext, transmission_id: int) -> dict:
    """One transmission with its results, corrections and acknowledgements (audited read)."""
    row = _load(access, transmission_id)
    access.require(
        "transmissions.read",
        person_id=row["person_id"],
        action="transmissions.read",
        target=f"transmission:{transmission_id}",
    )
    if row["parent_id"]:
        row["parent"] = storage.get(access.db, row["parent_id"])
    return decorate(access, [row])[0]


def parse_day(value: str | None, field: str) -> str | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(
            f"Date illisible ({field}) : utilisez le format AAAA-MM-JJ.",
            details=[{"champ": field, "message": "date attendue, au format AAAA-MM-JJ"}],
        ) from None
    check_year(day, field)
    return timefmt.to_iso(timefmt.day_start(day))


def next_day(value: str | None, field: str) -> str | None:
    start = parse_day(value, field)
    if start is None:
        return None
    day = timefmt.local(start).date() + timedelta(days=1)
    return timefmt.to_iso(timefmt.day_start(day))


def timeline(
    access: AccessContext,
    person_id: int,
    *,
    target: str | None = None,
    category: str | None = None,
    author_id: int | None = None,
    since: str | None = None,
    until: str | None = None,
    before: tuple[str, int] | None = None,
    limit: int = 50,
    view: str = "fil",
) -> list[dict]:
    """A person's transmissions, newest first, filtered (audited read)."""
    details = {
        k: v
        for k, v in {
            "vue": view,
            "cible": target,
            "categorie": category,
            "auteur": author_id,
            "du": since,
            "au": until,
        }.items()
        if v
    }
    access.require(
        "transmissions.read", person_id=person_id, action="transmissions.read", details=details
    )
    if category and category not in CATEGORIES:
        raise InvalidInput(f"Catégorie inconnue « {category} » : {', '.join(CATEGORIES)}.")
    rows = storage.timeline(
        access.db,
        person_id,
        target=target or None,
        category=category or None,
        author_id=author_id,
        since=since,
        until=until,
        before=before,
        limit=max(1, min(limit, 200)),
    )
    return decorate(access, rows)


def shift_reference(access: AccessContext) -> tuple[str, str]:
    """The start of the period "depuis ma dernière prise de poste", and where it comes from.

    1. the last time the worker pressed « Prendre mon poste » (``prise_de_poste``);
    2. otherwise their previous log-in, the one before the current session
       (``connexion_precedente``);
    3. otherwise the last 24 hours (``24_heures``).
    """
    actor = access.require_login()
    started = storage.last_shift(access.db, actor.user_id)
    if started:
        return started, "prise_de_poste"
    previous = audit.previous_login(access.db, actor.user_id)
    if previous:
        return previous, "connexion_precedente"
    return timefmt.to_iso(_now() - FALLBACK_PERIOD), "24_heures"


def new_for_me(access: AccessContext, limit: int = 200) -> dict[str, Any]:
    """What others wrote about my persons since my last prise de poste, and everything I have
    not acknowledged yet (of the last :data:`UNACKNOWLEDGED_WINDOW`), whatever the markers say
    (a prise de poste or a log-in in another browser does not hide what I have not read):
    urgent first."""
    actor = access.require_login()
    since, source = shift_reference(access)
    persons, structures = reading_scope(access)
    rows = storage.new_since(
        access.db,
        person_ids=sorted(persons),
        structure_ids=sorted(structures),
        since=since,
        reader_id=actor.user_id,
        unacknowledged_since=timefmt.to_iso(_now() - UNACKNOWLEDGED_WINDOW),
        limit=limit,
    )
    rows = _audited(access, rows, "depuis ma dernière prise de poste")
    return {
        "since": since,
        "since_source": source,
        "items": decorate(access, _with_persons(access, rows)),
    }


def unacknowledged_urgent(access: AccessContext, structure_id: int) -> list[dict]:
    """Urgent transmissions of the last 7 days that nobody but their author has acknowledged."""
    access.require(
        "transmissions.urgent.read", structure_id=structure_id, action="transmissions.urgent.read"
    )
    since = timefmt.to_iso(_now() - URGENT_WINDOW)
    rows = storage.unacknowledged_urgent(access.db, structure_id, since)
    rows = _audited(access, rows, "urgentes non lues")
    return decorate(access, _with_persons(access, rows))


def coordinated_structures(access: AccessContext) -> list[dict]:
    """The structures where the actor may see the unacknowledged urgent transmissions."""
    actor = access.require_login()
    return [
        s
        for s in lookups.structures(access.db, actor.structure_ids)
        if access.allowed("transmissions.urgent.read", structure_id=s["id"])
    ]


def export(access: AccessContext, person_id: int, since: str | None, until: str | None) -> dict:
    """A person's transmissions for a period, oldest first, for a printed transfer document.

    The document is meant to leave the care team (a hospital, another service): it is refused,
    with the reason, when the person objected to the sharing of her health information
    (art. L1110-4 CSP).
    """
    since_iso = parse_day(since, "du")
    until_iso = next_day(until, "au")
    if since_iso and until_iso and since_iso >= until_iso:
        raise InvalidInput("La période est vide : la date de fin précède la date de début.")
    person = access.require(
        "transmissions.export",
        person_id=person_id,
        action="transmissions.export",
        details={"du": since or "début", "au": until or "aujourd'hui"},
    )
    objections.require_sharing(
        access, person_id, health=True, action="transmissions.export", target="impression"
    )
    rows = storage.timeline(
        access.db, person_id, since=since_iso, until=until_iso, limit=5000, oldest_first=True
    )
    return {
        "person": person,
        "structure": lookups.structure(access.db, person["structure_id"]),
        "rows": decorate(access, rows),
        "since": since,
        "until": until,
        "printed_by": _author_label(access),
        "printed_at": timefmt.full(timefmt.to_iso(_now())),
    }


# --------------------------------------------------------------------------- for the pages


def unacknowledged_urgent_count(access: AccessContext, structure_id: int) -> int:
    """How many urgent transmissions of the last 7 days wait for a reader (a count: not audited).

    For the structures of :func:`coordinated_structures`, where the actor may see them.
    """
    since = timefmt.to_iso(_now() - URGENT_WINDOW)
    return len(storage.unacknowledged_urgent(access.db, structure_id, since))


def authors(access: AccessContext, person_id: int) -> list[dict]:
    """Who wrote about this person (the thread's author filter), after the thread's own check."""
    return storage.authors_for_person(access.db, person_id)


def person(access: AccessContext, person_id: int) -> dict | None:
    """The person a page is about (names, structure, status), without a new audit entry.

    For a page whose service call has already checked and audited the access (a transmission,
    a search in her thread).
    """
    return lookups.person(access.db, person_id)


def writable_persons(access: AccessContext) -> list[dict]:
    """The active persons the actor may write about (the « Nouvelle transmission » list)."""
    persons, structures = reading_scope(access, "transmissions.write")
    rows: dict[int, dict] = {}
    for sid in sorted(structures):
        for p in lookups.persons(access.db, sid, status="active", limit=500):
            rows[p["id"]] = p
    for pid, p in lookups.persons_by_id(access.db, sorted(persons)).items():
        if p["status"] == "active":
            rows[pid] = p
    return sorted(rows.values(), key=lambda p: (p["family_name"], p["given_names"]))
