"""The rules a transmission follows: limits, French messages, validation of each field.

Shared by the use cases of :mod:`virage.transmissions.service` (importable from there too).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from virage.accounts import lookups
from virage.accounts.context import AccessContext
from virage.db import utcnow
from virage.errors import InvalidInput, NotFound
from virage.plugins import PluginHost
from virage.transmissions import storage, timefmt, visits
from virage.transmissions.targets import CATEGORIES, PRIORITIES

DEFAULT_GRACE_MINUTES = 5
MAX_BACKDATE = timedelta(days=30)
URGENT_WINDOW = timedelta(days=7)
FALLBACK_PERIOD = timedelta(hours=24)
#: How long a transmission stays in « Depuis ma dernière prise de poste » (and on a visit card,
#: when urgent) until the worker acknowledges it, whatever her shift and log-in markers say.
UNACKNOWLEDGED_WINDOW = timedelta(days=30)
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


def _now() -> datetime:
    return utcnow().replace(microsecond=0)


def _author_label(access: AccessContext) -> str:
    actor = access.actor
    user = lookups.user(access.db, actor.user_id)
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


def _appointment(
    access: AccessContext, value: int | None, person_id: int, plugins: PluginHost | None = None
) -> int | None:
    if value is None:
        return None
    if not visits.appointment_belongs_to(access.db, value, person_id, plugins or access.plugins):
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
