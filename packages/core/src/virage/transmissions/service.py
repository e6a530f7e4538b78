"""Transmissions: the use cases, shared by the API, the web pages, the CLI and other plugins.

Every function takes an :class:`AccessContext`: the access check (and its audit entry) comes first,
then the storage calls. Nothing here writes SQL.

Other domains and plugins create transmissions with :func:`create_transmission` (teleconsultation
adds its reports that way): the same access rules, audit, idempotency and hook apply.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from virage.access import PersonRef, check
from virage.accounts import objections
from virage.accounts import storage as accounts_storage
from virage.accounts.context import AccessContext
from virage.db import transaction, utcnow
from virage.errors import Conflict, Forbidden, InvalidInput, NotFound
from virage.limits import check_year
from virage.plugins import PluginHost
from virage.transmissions import storage, timefmt, visits
from virage.transmissions.targets import CATEGORIES, PRIORITIES

DEFAULT_GRACE_MINUTES = 5
MAX_BACKDATE = timedelta(days=30)
URGENT_WINDOW = timedelta(days=7)
FALLBACK_PERIOD = timedelta(hours=24)
TEXT_MAX = 4000

NOT_FOUND = "Cette transmission n'existe pas ou ne vous est pas accessible."
CLOSED = "Le suivi de cette personne est terminé : son dossier ne reçoit plus de transmission."
GRACE_PASSED = (
    "Le délai de correction de cette transmission est passé : elle ne peut plus être modifiée ni "
    "retirée. Écrivez une correction : elle sera liée à la transmission d'origine et les deux "
    "resteront visibles."
)
AUTHOR_ONLY = (
    "Seul l'auteur peut modifier ou retirer sa transmission, et seulement pendant le délai de "
    "correction. Vous pouvez ajouter un résultat ou écrire une correction."
)


@dataclass(frozen=True)
class Created:
    """What :func:`create_transmission` returns."""

    transmission: dict[str, Any]
    created: bool  # False: the same client identifier had already been received


# --------------------------------------------------------------------------- helpers


def _now() -> datetime:
    return utcnow().replace(microsecond=0)


def _author_label(access: AccessContext) -> str:
    actor = access.actor
    user = accounts_storage.get_user(access.db, actor.user_id)
    profession = (user or {}).get("profession")
    return f"{actor.display_name}, {profession}" if profession else actor.display_name


def _text(value: str | None, field: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(
            f"Écrivez les {field} : ce que vous avez observé.",
            details=[{"champ": "data", "message": "champ obligatoire"}],
        )
    if len(value) > TEXT_MAX:
        raise InvalidInput(f"Les {field} dépassent {TEXT_MAX} caractères : raccourcissez-les.")
    return value


def _target(db, code: str | None) -> dict:
    target = storage.get_target(db, (code or "").strip())
    if target is None or not target["active"]:
        codes = ", ".join(t["code"] for t in storage.list_targets(db))
        raise InvalidInput(
            f"Cible inconnue « {code or ''} ». Choisissez une cible de la liste : {codes}.",
            details=[{"champ": "target", "message": "cible inconnue"}],
        )
    return target


def _category(value: str | None, target: dict) -> str:
    value = value or target["category"]
    if value not in CATEGORIES:
        raise InvalidInput(
            f"Catégorie inconnue « {value} » : {', '.join(CATEGORIES)}.",
            details=[{"champ": "category", "message": "catégorie inconnue"}],
        )
    return value


def _priority(value: str | None) -> str:
    value = value or "normal"
    if value not in PRIORITIES:
        raise InvalidInput(
            f"Priorité inconnue « {value} » : normal, important ou urgent.",
            details=[{"champ": "priority", "message": "priorité inconnue"}],
        )
    return value


def _occurred(value: datetime | str | None, now: datetime) -> str:
    if value is None or value == "":
        return timefmt.to_iso(now)
    try:
        moment = timefmt.from_local_input(value) if isinstance(value, str) else value
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timefmt.PARIS)
    except ValueError:
        raise InvalidInput(
            "Heure observée illisible : utilisez le format AAAA-MM-JJTHH:MM.",
            details=[{"champ": "occurred_at", "message": "date et heure attendues"}],
        ) from None
    if moment > now + timedelta(minutes=5):
        raise InvalidInput(
            "L'heure observée est dans le futur : indiquez quand vous l'avez constaté.",
            details=[{"champ": "occurred_at", "message": "dans le futur"}],
        )
    if moment < now - MAX_BACKDATE:
        raise InvalidInput(
            "L'heure observée date de plus de 30 jours : une transmission se rédige au plus près "
            "de l'observation. Parlez-en à la coordination.",
            details=[{"champ": "occurred_at", "message": "plus de 30 jours"}],
        )
    return timefmt.to_iso(moment)


def _appointment(access: AccessContext, value: int | None, person_id: int) -> int | None:
    if value is None:
        return None
    if not visits.appointment_belongs_to(access.db, value, person_id):
        raise InvalidInput(
            "Cette visite n'existe pas dans l'agenda de cette personne.",
            details=[{"champ": "appointment_id", "message": "visite inconnue"}],
        )
    return value


def _load(access: AccessContext, transmission_id: int) -> dict:
    access.require_login()
    row = storage.get(access.db, transmission_id)
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


def _editable(row: dict, actor_id: int, now: datetime | None = None) -> bool:
    now_iso = timefmt.to_iso(now or _now())
    return row["author_id"] == actor_id and now_iso < row["editable_until"]


def _notify(plugins: PluginHost | None, db, row: dict) -> None:
    if plugins is not None:
        plugins.call("on_transmission_created", db=db, transmission=dict(row))


def decorate(access: AccessContext, rows: list[dict]) -> list[dict]:
    """Attach results and corrections (``children``), acknowledgements and display fields."""
    db = access.db
    actor_id = access.actor.user_id if access.actor else None
    now = _now()
    ids = [r["id"] for r in rows]
    kids = storage.children(db, ids)
    all_ids = ids + [k["id"] for k in kids]
    acks: dict[int, list[dict]] = {}
    for a in storage.acks_for(db, all_ids):
        acks.setdefault(a["transmission_id"], []).append(a)
    visit_labels = visits.describe(db, [r["appointment_id"] for r in rows if r["appointment_id"]])
    by_parent: dict[int, list[dict]] = {}
    for k in kids:
        by_parent.setdefault(k["parent_id"], []).append(k)

    def finish(row: dict) -> dict:
        row["acknowledgements"] = acks.get(row["id"], [])
        row["acknowledged_by_me"] = any(a["user_id"] == actor_id for a in row["acknowledgements"])
        row["mine"] = row["author_id"] == actor_id
        row["editable"] = _editable(row, actor_id, now) if actor_id else False
        row["when"] = timefmt.label(row["occurred_at"], now=now)
        row["written"] = timefmt.label(row["created_at"], now=now)
        row["category_label"] = CATEGORIES.get(row["category"], row["category"])
        row["priority_label"] = PRIORITIES.get(row["priority"], row["priority"])
        row["visit_label"] = visit_labels.get(row["appointment_id"])
        return row

    for row in rows:
        finish(row)
        row["children"] = [finish(k) for k in by_parent.get(row["id"], [])]
        row["results_added"] = [k for k in row["children"] if k["kind"] == "result"]
        row["corrections"] = [k for k in row["children"] if k["kind"] == "correction"]
    return rows


# --------------------------------------------------------------------------- scope


def reading_scope(access: AccessContext, perm: str = "transmissions.read") -> tuple[set, set]:
    """The persons and whole structures whose transmissions the actor may read.

    The decision is the core's (:func:`virage.access.check`) for each candidate: a role that reads
    without being in the care team (coordination) gets whole structures; otherwise the persons of
    the actor's care teams and of their active emergency accesses. Returns
    ``(person ids, structure ids)``.
    """
    actor = access.require_login()
    registry, db = access.registry, access.db
    structures: set[int] = set()
    for sid in actor.structure_ids:
        probe = PersonRef(id=0, structure_id=sid, care_team=frozenset())
        if check(registry, actor, perm, person=probe).allowed:
            structures.add(sid)
    persons: set[int] = set()
    me = frozenset({actor.user_id})
    for pid, sid in storage.care_team_persons(db, actor.user_id):
        if (
            sid not in structures
            and check(registry, actor, perm, person=PersonRef(pid, sid, care_team=me)).allowed
        ):
            persons.add(pid)
    for pid, sid in storage.emergency_persons(db, actor.user_id, timefmt.to_iso(_now())):
        if (
            sid not in structures
            and check(
                registry, actor, perm, person=PersonRef(pid, sid, frozenset(), emergency_users=me)
            ).allowed
        ):
            persons.add(pid)
    return persons, structures


def _audited(access: AccessContext, rows: list[dict], view: str) -> list[dict]:
    """Audit the read of each person shown (one transaction), and keep only what ``require`` lets
    through: a list that spans persons is checked person by person, like a single record."""
    if not rows:
        return rows
    allowed: set[int] = set()
    with transaction(access.db):
        for pid in dict.fromkeys(r["person_id"] for r in rows):
            try:
                access.require(
                    "transmissions.read",
                    person_id=pid,
                    action="transmissions.read",
                    details={"vue": view},
                )
                allowed.add(pid)
            except (Forbidden, NotFound):
                continue  # refused (and audited as such): never shown
    return [r for r in rows if r["person_id"] in allowed]


def _with_persons(access: AccessContext, rows: list[dict]) -> list[dict]:
    names = storage.persons(access.db, sorted({r["person_id"] for r in rows}))
    for r in rows:
        p = names.get(r["person_id"]) or {}
        r["person_name"] = f"{p.get('given_names', '')} {p.get('family_name', '').upper()}".strip()
    return rows


# --------------------------------------------------------------------------- writing


def create_transmission(
    access: AccessContext,
    plugins: PluginHost | None,
    person_id: int,
    *,
    target: str,
    data: str,
    actions: str = "",
    results: str = "",
    category: str | None = None,
    priority: str = "normal",
    occurred_at: datetime | str | None = None,
    appointment_id: int | None = None,
    client_id: str | None = None,
    source: str = "web",
    grace_minutes: int = DEFAULT_GRACE_MINUTES,
    _kind: str = "entry",
    _parent: dict | None = None,
) -> Created:
    """Record a transmission about a person, as the actor of ``access``.

    :param access: the access context of the request (or of the plugin's command).
    :param plugins: the plugin host, to call ``on_transmission_created`` (``None``: no hook).
    :param person_id: the person supported.
    :param target: code of a target of the nomenclature (``"chute"``).
    :param data: the "Données" part (required).
    :param actions: the "Actions" part.
    :param results: the "Résultats" part (may be added later by anyone of the team).
    :param category: ``soins``, ``vie_quotidienne``, ``social`` or ``administratif``; the
        target's default when omitted.
    :param priority: ``normal``, ``important`` or ``urgent``.
    :param occurred_at: when it was observed (aware datetime, or ``AAAA-MM-JJTHH:MM`` in Paris
        time); now when omitted.
    :param appointment_id: the agenda visit it comes from, if any.
    :param client_id: an identifier chosen by the client: sending the same one again returns the
        transmission already received instead of creating a duplicate.
    :param source: where it comes from: ``web``, ``api`` or your plugin's name.
    :param grace_minutes: how long the author may still modify or withdraw it.

    Checks ``transmissions.write`` for the person (care team, coordination, emergency access) and
    writes the audit entries. Raises ``InvalidInput``, ``Forbidden``, ``NotFound`` or
    ``Conflict`` with a French message.
    """
    actor = access.require_login()
    db = access.db
    if client_id:
        existing = storage.find_by_client_id(db, actor.user_id, client_id)
        if existing is not None:
            return _already_received(access, existing, person_id)
    person = access.require(
        "transmissions.write",
        person_id=person_id,
        action="transmissions.write",
        details={"cible": target, "priorite": priority, "source": source},
    )
    if person["status"] == "closed":
        raise Conflict(CLOSED)
    now = _now()
    if _parent is not None and target == _parent["target"]:
        # A result or a correction keeps its transmission's target, even one retired since.
        row_target = storage.get_target(db, target)
    else:
        row_target = _target(db, target)
    values = {
        "person_id": person_id,
        "structure_id": person["structure_id"],
        "author_id": actor.user_id,
        "author_label": _author_label(access),
        "kind": _kind,
        "parent_id": _parent["id"] if _parent else None,
        "target": row_target["code"],
        "category": _category(category, row_target),
        "priority": _priority(priority),
        "occurred_at": _occurred(occurred_at, now),
        "created_at": timefmt.to_iso(now),
        "editable_until": timefmt.to_iso(now + timedelta(minutes=max(0, min(grace_minutes, 60)))),
        "data": _text(data, "données", required=_kind != "result"),
        "actions": _text(actions, "actions"),
        "results": _text(results, "résultats", required=_kind == "result"),
        "appointment_id": _appointment(access, appointment_id, person_id),
        "client_id": client_id or None,
        "source": (source or "web")[:40],
    }
    try:
        with transaction(db):
            new_id = storage.insert(db, values)
            access.audit(
                "transmissions.created",
                structure_id=person["structure_id"],
                person_id=person_id,
                target=f"transmission:{new_id}",
                details={"type": _kind, "cible": values["target"], "priorite": values["priority"]},
            )
    except sqlite3.IntegrityError:
        # Two copies of the same retry arrived together: the other one won.
        existing = storage.find_by_client_id(db, actor.user_id, client_id) if client_id else None
        if existing is None:
            raise
        return _already_received(access, existing, person_id)
    row = storage.get(db, new_id)
    _notify(plugins, db, row)
    return Created(row, True)


def _already_received(access: AccessContext, existing: dict, person_id: int) -> Created:
    if existing["person_id"] != person_id:
        raise Conflict(
            "Cet identifiant d'envoi a déjà servi pour une autre personne : rechargez la page et "
            "recommencez (votre texte est gardé sur l'appareil)."
        )
    access.require(
        "transmissions.read",
        person_id=person_id,
        action="transmissions.retry",
        target=f"transmission:{existing['id']}",
    )
    return Created(existing, False)


def add_result(
    access: AccessContext,
    plugins: PluginHost | None,
    transmission_id: int,
    results: str,
    *,
    priority: str = "normal",
    client_id: str | None = None,
    source: str = "web",
    grace_minutes: int = DEFAULT_GRACE_MINUTES,
) -> Created:
    """Add the "Résultats" to a transmission, later and possibly by another professional.

    The result is a new entry linked to the transmission (kind ``result``), with its own author
    and time: nothing already written changes.
    """
    parent = _load(access, transmission_id)
    if parent["kind"] == "result":
        raise InvalidInput("Ajoutez le résultat à la transmission elle-même, pas à un résultat.")
    return create_transmission(
        access,
        plugins,
        parent["person_id"],
        target=parent["target"],
        category=parent["category"],
        priority=priority,
        data="",
        results=results,
        occurred_at=None,
        client_id=client_id,
        source=source,
        grace_minutes=grace_minutes,
        _kind="result",
        _parent=parent,
    )


def correct(
    access: AccessContext,
    plugins: PluginHost | None,
    transmission_id: int,
    fields: dict[str, Any],
    *,
    client_id: str | None = None,
    source: str = "web",
    grace_minutes: int = DEFAULT_GRACE_MINUTES,
) -> Created:
    """Write a correction: a new entry linked to the corrected one; both stay visible."""
    parent = _load(access, transmission_id)
    if parent["kind"] == "result":
        raise InvalidInput("Un résultat ajouté ne se corrige pas : ajoutez un nouveau résultat.")
    return create_transmission(
        access,
        plugins,
        parent["person_id"],
        target=fields.get("target") or parent["target"],
        data=fields.get("data", ""),
        actions=fields.get("actions", ""),
        results=fields.get("results", ""),
        category=fields.get("category") or parent["category"],
        priority=fields.get("priority") or parent["priority"],
        occurred_at=fields.get("occurred_at") or parent["occurred_at"],
        appointment_id=fields.get("appointment_id") or parent["appointment_id"],
        client_id=client_id,
        source=source,
        grace_minutes=grace_minutes,
        _kind="correction",
        _parent=parent,
    )


def _check_author_within_grace(access: AccessContext, row: dict, action: str) -> dict:
    person = access.require(
        "transmissions.write",
        person_id=row["person_id"],
        action=action,
        target=f"transmission:{row['id']}",
    )
    if row["author_id"] != access.actor.user_id:
        raise Forbidden(AUTHOR_ONLY)
    if not _editable(row, access.actor.user_id):
        raise Conflict(GRACE_PASSED)
    if person["status"] == "closed":
        raise Conflict(CLOSED)
    return person


def update(access: AccessContext, transmission_id: int, changes: dict[str, Any]) -> dict:
    """Change a transmission during its grace period (author only)."""
    row = _load(access, transmission_id)
    _check_author_within_grace(access, row, "transmissions.update")
    values: dict[str, Any] = {}
    if changes.get("target"):
        values["target"] = _target(access.db, changes["target"])["code"]
    if changes.get("category"):
        values["category"] = _category(changes["category"], {"category": row["category"]})
    if changes.get("priority"):
        values["priority"] = _priority(changes["priority"])
    if changes.get("occurred_at"):
        values["occurred_at"] = _occurred(changes["occurred_at"], _now())
    for field, label in (("data", "données"), ("actions", "actions"), ("results", "résultats")):
        if field in changes and changes[field] is not None:
            required = (field == "data" and row["kind"] != "result") or (
                field == "results" and row["kind"] == "result"
            )
            values[field] = _text(changes[field], label, required=required)
    try:
        with transaction(access.db):
            storage.update_content(access.db, transmission_id, values)
    except sqlite3.IntegrityError:
        raise Conflict(GRACE_PASSED) from None
    return storage.get(access.db, transmission_id)


def withdraw(access: AccessContext, transmission_id: int) -> None:
    """Withdraw a transmission during its grace period (author only; e.g. wrong person)."""
    row = _load(access, transmission_id)
    _check_author_within_grace(access, row, "transmissions.withdraw")
    if storage.has_children(access.db, transmission_id):
        raise Conflict(
            "Un résultat ou une correction a déjà été ajouté à cette transmission : elle ne peut "
            "plus être retirée. Écrivez une correction."
        )
    try:
        with transaction(access.db):
            storage.delete(access.db, transmission_id)
    except sqlite3.IntegrityError:
        raise Conflict(GRACE_PASSED) from None


def acknowledge(access: AccessContext, transmission_id: int) -> dict:
    """Record that the actor has read the transmission ("pris connaissance")."""
    row = _load(access, transmission_id)
    access.require(
        "transmissions.read",
        person_id=row["person_id"],
        action="transmissions.acknowledge",
        target=f"transmission:{transmission_id}",
    )
    if row["author_id"] == access.actor.user_id:
        raise InvalidInput(
            "Vous avez écrit cette transmission : pas besoin d'en prendre connaissance."
        )
    storage.acknowledge(access.db, transmission_id, access.actor.user_id, timefmt.to_iso(_now()))
    return decorate(access, [storage.get(access.db, transmission_id)])[0]


# --------------------------------------------------------------------------- reading


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
    previous = storage.previous_login(access.db, actor.user_id)
    if previous:
        return previous, "connexion_precedente"
    return timefmt.to_iso(_now() - FALLBACK_PERIOD), "24_heures"


def new_for_me(access: AccessContext, limit: int = 200) -> dict[str, Any]:
    """What others wrote about my persons since my last prise de poste: urgent first."""
    actor = access.require_login()
    since, source = shift_reference(access)
    persons, structures = reading_scope(access)
    rows = storage.new_since(
        access.db,
        person_ids=sorted(persons),
        structure_ids=sorted(structures),
        since=since,
        reader_id=actor.user_id,
        limit=limit,
    )
    rows = _audited(access, rows, "depuis ma dernière prise de poste")
    return {
        "since": since,
        "since_source": source,
        "items": decorate(access, _with_persons(access, rows)),
    }


def take_shift(access: AccessContext) -> str:
    """« Prendre mon poste »: the next "since my last prise de poste" starts now.

    Only the last one is kept (not a history of working hours); the worker sees it on
    "Ce qui est enregistré sur moi".
    """
    actor = access.require_login()
    now = timefmt.to_iso(_now())
    storage.set_shift(access.db, actor.user_id, now)
    return now


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
        for s in accounts_storage.list_structures(access.db, actor.structure_ids)
        if access.allowed("transmissions.urgent.read", structure_id=s["id"])
    ]


WORD = re.compile(r"(\w+)(\*?)", re.UNICODE)


def _term(word: str, prefix: bool) -> str:
    """One searched word: exact (singular and plural), or a word start when typed with ``*``.

    Exact words use the index directly (a few milliseconds on millions of transmissions); a word
    start has to merge every indexed word that begins with it, so it is only done on request.
    """
    if prefix and len(word) >= 3:
        return f'"{word}"*'
    other = word[:-1] if word.endswith("s") and len(word) > 3 else f"{word}s"
    return f'("{word}" OR "{other}")'


def fts_query(text: str, scope: tuple[Iterable[int], Iterable[int]]) -> str | None:
    """The FTS5 expression of a search: every word, inside the reader's scope only.

    Words are quoted, so nothing typed can change the expression (no operator, no column filter).
    """
    for ligature, plain in storage.LIGATURES:
        text = (text or "").replace(ligature, plain)
    words = [(w, bool(star)) for w, star in WORD.findall(text) if w.strip("_")][:8]
    persons, structures = scope
    tokens = [f"p{int(p)}" for p in sorted(persons)] + [f"s{int(s)}" for s in sorted(structures)]
    if not words or not tokens:
        return None
    terms = " AND ".join(_term(w, star) for w, star in words)
    return f"{{target body}} : ({terms}) AND scope : ({' OR '.join(tokens)})"


def search(
    access: AccessContext, text: str, *, person_id: int | None = None, limit: int = 50
) -> list[dict]:
    """Full-text search (accent-insensitive) in what the actor may read, newest first."""
    access.require_login()
    if person_id is not None:
        access.require(
            "transmissions.read",
            person_id=person_id,
            action="transmissions.search",
            details={"recherche": (text or "")[:100]},
        )
        scope: tuple[set, set] = ({person_id}, set())
    else:
        scope = reading_scope(access)
    match = fts_query(text, scope)
    if match is None:
        return []
    rows = storage.search(access.db, match, limit=max(1, min(limit, 200)))
    rows = _audited(access, rows, "recherche")
    return decorate(access, _with_persons(access, rows))


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
        "structure": accounts_storage.get_structure(access.db, person["structure_id"]),
        "rows": decorate(access, rows),
        "since": since,
        "until": until,
        "printed_by": _author_label(access),
        "printed_at": timefmt.full(timefmt.to_iso(_now())),
    }


def nomenclature(db) -> dict[str, Any]:
    return {
        "targets": storage.list_targets(db),
        "templates": storage.list_templates(db),
        "categories": CATEGORIES,
        "priorities": PRIORITIES,
    }


def sync_nomenclature(db, plugins: PluginHost) -> list[str]:
    """Add the targets and templates contributed by plugins (hook ``register_transmission_targets``).

    New codes are added; existing ones are left as the network configured them.
    """
    from virage.transmissions.targets import TransmissionTarget, TransmissionTemplate

    added = []
    items = plugins.call_per_plugin("register_transmission_targets")
    with transaction(db):
        for plugin_name, item in items:
            if isinstance(item, TransmissionTarget):
                try:
                    if storage.upsert_target(db, item, plugin_name):
                        added.append(f"cible {item.code}")
                except sqlite3.IntegrityError as exc:
                    plugins.failures.append(_failure(plugin_name, f"cible {item.code} : {exc}"))
        for plugin_name, item in items:
            if isinstance(item, TransmissionTemplate):
                if storage.get_target(db, item.target) is None:
                    plugins.failures.append(
                        _failure(plugin_name, f"modèle {item.label} : cible {item.target} inconnue")
                    )
                    continue
                if storage.upsert_template(db, item, plugin_name):
                    added.append(f"modèle {item.label}")
    return added


def _failure(plugin: str, message: str):
    from virage.plugins import PluginFailure

    return PluginFailure(plugin, "register_transmission_targets", message)
