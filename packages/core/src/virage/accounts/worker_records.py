"""« Ce qui est enregistré sur moi »: everything Virage records about a worker, gathered for her own
page (nothing else is recorded; plugins add their own sections through ``extra_worker_records``).

No access check here: the page asks it for the signed-in worker herself.
"""

from __future__ import annotations

from typing import Any

from virage.access import ROLES, Actor
from virage.accounts import notice_storage, second_factor, storage, throttle
from virage.audit import service as audit
from virage.db import Database

#: How many of her own audit entries the page shows.
AUDIT_LIMIT = 300


def of_worker(db: Database, actor: Actor) -> dict[str, Any]:
    """Her account, memberships, sessions, tokens, care teams, emergency accesses, log-in failures,
    known browsers and addresses, what she did (audit), second factor and notice acknowledgements."""
    user = storage.get_user(db, actor.user_id)
    structures = {
        s["id"]: s["name"] for s in storage.list_structures(db, sorted(actor.memberships))
    }
    return {
        "user": {
            k: user[k]
            for k in ("username", "display_name", "email", "profession", "rpps", "created_at")
        },
        "memberships": [
            {"structure": structures.get(sid, sid), "role": ROLES.get(r, r)}
            for sid, r in actor.memberships.items()
        ],
        "sessions": storage.sessions_of(db, actor.user_id),
        "tokens": storage.tokens_of_user(db, actor.user_id),
        "care_teams": storage.care_teams_of_user(db, actor.user_id),
        "emergencies": storage.emergency_of_user(db, actor.user_id),
        "failures": throttle.failures_of(db, actor.username),
        "known_sources": throttle.known_sources_of(db, actor.user_id),
        "audit": audit.for_actor(db, actor.user_id, limit=AUDIT_LIMIT),
        "second_factor": second_factor.status(db, actor.user_id),
        "notice_acknowledgements": notice_storage.acknowledgements_of(db, actor.user_id),
    }
