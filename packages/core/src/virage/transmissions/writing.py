"""Writing transmissions: create, add a result, correct, modify or withdraw within the grace
period, acknowledge, take one's shift (importable from :mod:`virage.transmissions.service`).

Other domains and plugins create transmissions with :func:`create_transmission` (teleconsultation
adds its reports that way): the same access rules, audit, idempotency and hook apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from virage.accounts.context import AccessContext
from virage.db import transaction
from virage.errors import Conflict, Forbidden, InvalidInput
from virage.plugins import PluginHost
from virage.transmissions import storage, timefmt
from virage.transmissions.checks import (
    AUTHOR_ONLY,
    CLOSED,
    DEFAULT_GRACE_MINUTES,
    GRACE_PASSED,
    _appointment,
    _author_label,
    _category,
    _editable,
    _load,
    _now,
    _occurred,
    _priority,
    _target,
    _text,
)
from virage.transmissions.scope import decorate

RETRY_LOST = (
    "Cet envoi a déjà été reçu, mais la transmission a été retirée entre-temps : rechargez la "
    "page et recommencez (votre texte est gardé sur l'appareil)."
)


@dataclass(frozen=True)
class Created:
    """What :func:`create_transmission` returns."""

    transmission: dict[str, Any]
    created: bool  # False: the same client identifier had already been received


def _notify(plugins: PluginHost | None, db, row: dict) -> None:
    if plugins is not None:
        plugins.call("on_transmission_created", db=db, transmission=dict(row))


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
        "appointment_id": _appointment(access, appointment_id, person_id, plugins),
        "client_id": client_id or None,
        "source": (source or "web")[:40],
    }
    with transaction(db):
        # The unique (author, client_id) decides: of two copies of the same retry arriving
        # together, one is written and the other gets no id (on both engines, no check-then-insert).
        new_id = storage.insert(db, values)
        if new_id is not None:
            access.audit(
                "transmissions.created",
                structure_id=person["structure_id"],
                person_id=person_id,
                target=f"transmission:{new_id}",
                details={"type": _kind, "cible": values["target"], "priorite": values["priority"]},
            )
    if new_id is None:  # the other copy won: answer with what it wrote
        existing = storage.find_by_client_id(db, actor.user_id, client_id)
        if existing is None:
            raise Conflict(RETRY_LOST)
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
    except access.db.IntegrityError:
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
    except access.db.IntegrityError:
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


def take_shift(access: AccessContext) -> str:
    """« Prendre mon poste »: the next "since my last prise de poste" starts now.

    Only the last one is kept (not a history of working hours); the worker sees it on
    "Ce qui est enregistré sur moi".
    """
    actor = access.require_login()
    now = timefmt.to_iso(_now())
    storage.set_shift(access.db, actor.user_id, now)
    return now
