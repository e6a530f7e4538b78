"""The first-use notice to each worker: what Virage records about her, who sees it, for how long,
whether the CSE was informed, and where she sees it herself.

Code du travail, article L1222-4: no information about an employee may be collected by a device
that was not brought to her knowledge beforehand. So, at her first log-in (and again when
``NOTICE_VERSION`` changes), every page leads to the notice until she acknowledges it; the
acknowledgement is recorded with its date and what each of her structures had declared about its
CSE, and she sees it on « Ce qui est enregistré sur moi ». Only « Ce qui est enregistré sur moi »,
the second-factor page and the log-out stay open meanwhile. On a demonstration database the notice
is offered, not imposed.

Bump ``NOTICE_VERSION`` whenever what the notice says changes (a new kind of record, a new
reader, a new duration): everyone is asked again.
"""

from __future__ import annotations

from urllib.parse import quote

from virage.access import ROLES, Actor, Registry
from virage.accounts import notice_storage as store
from virage.accounts import second_factor, service, throttle
from virage.audit.service import record
from virage.db import Database, utcnow_iso

NOTICE_VERSION = 1
NOTICE_PATH = "/moi/note-d-information"
#: What stays reachable while the notice waits for the acknowledgement.
OPEN_WHILE_DUE = (
    NOTICE_PATH,
    "/moi/enregistrements",
    "/moi/second-facteur",
    "/deconnexion",
    "/connexion",
    "/static/",
    "/docs",
    "/schema",
    "/healthz",
    "/favicon.ico",
)


def due(db: Database, user_id: int) -> bool:
    """The worker has not acknowledged the current notice (and this is not a demonstration)."""
    if store.is_acknowledged(db, user_id, NOTICE_VERSION):
        return False
    return not second_factor.is_demo(db)


def open_while_due(path: str) -> bool:
    return any(path == p or path.startswith(p.rstrip("/") + "/") for p in OPEN_WHILE_DUE)


def redirect_target(path: str, query: str = "") -> str:
    """The notice's address, coming back to ``path`` once acknowledged."""
    back = path + (f"?{query}" if query else "")
    return f"{NOTICE_PATH}?suivant={quote(back, safe='/')}"


def after_login(db: Database, user_id: int, next_path: str) -> str:
    """Where a fresh session goes: the notice first when it is due."""
    return redirect_target(next_path) if due(db, user_id) else next_path


def _roles(registry: Registry, permission: str) -> str:
    try:
        roles = sorted(registry.roles_with(permission), key=list(ROLES).index)
    except KeyError:
        return ""
    return ", ".join(ROLES[r].lower() if i else ROLES[r] for i, r in enumerate(roles))


def content(db: Database, registry: Registry, actor: Actor) -> dict:
    """What the notice says to this worker (her structures, who reads what, how long)."""
    structures = store.cse_dates(db, sorted(actor.memberships))
    return {
        "version": NOTICE_VERSION,
        "structures": structures,
        "audit_readers": _roles(registry, "audit.read"),
        "record_log_readers": _roles(registry, "persons.access_log.read"),
        "checkin_readers": _roles(registry, "agenda.checkins.read"),
        "failures_hours": int(throttle.MEMORY.total_seconds() // 3600),
        "known_months": int(throttle.KNOWN_FOR.days // 30),
        "session_hours": int(service.SESSION_LIFETIME.total_seconds() // 3600),
        "acknowledgements": store.acknowledgements_of(db, actor.user_id),
        "demo": second_factor.is_demo(db),
    }


def acknowledge(db: Database, actor: Actor, route: str = "") -> None:
    """Record that the worker read the current notice (once per version), and what each of her
    structures had declared about its CSE at that time."""
    snapshot = [
        {"structure": s["name"], "cse_consulte_le": s["cse_consulted_on"]}
        for s in store.cse_dates(db, sorted(actor.memberships))
    ]
    if store.acknowledge(db, actor.user_id, NOTICE_VERSION, utcnow_iso(), snapshot):
        record(
            db,
            actor,
            "accounts.notice.acknowledged",
            route=route,
            target=f"user:{actor.user_id}",
            details={"version": NOTICE_VERSION, "structures": snapshot},
        )
