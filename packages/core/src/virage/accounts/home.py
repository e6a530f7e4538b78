"""The home page by role: where a signed-in person lands, and what a coordinator's home shows.

The accounts domain decides it: it owns roles and memberships. What the coordinator's home shows
is asked to the transmissions and agenda services (never their storage).

- the network administration → ``/administration``;
- a coordinator (in any of her structures) → the coordination's home: the urgent transmissions
  nobody has read yet, and who works today, in each structure she coordinates;
- a director → her structure's page, ``/structures/{id}`` (the first of her structures where she
  directs, by name);
- a field role (nurse, care assistant, home help, social worker) → « Ma journée »;
- the secretariat → the agenda;
- the DPO → the access log of her first structure;
- nobody else (an account in no structure) → the welcome page, which tells her whom to ask.

A person with several roles lands where the first role of :data:`PRIORITY` she holds sends her:
what asks the most of her first; every other page stays one click away in the menu.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from virage.access import Actor
from virage.accounts import lookups
from virage.accounts.context import AccessContext
from virage.db import Database

FIELD_ROLES = frozenset({"nurse", "care_assistant", "home_help", "social_worker"})
#: Which role decides the home of a person holding several.
PRIORITY = ("coordinator", "director", "field", "secretariat", "dpo")
ADMINISTRATION = "/administration"
MY_DAY = "/agenda/ma-journee"
AGENDA = "/agenda"


@dataclass(frozen=True)
class Home:
    """Where to go: ``href`` to redirect to, or ``page`` to render at ``/``."""

    href: str | None = None
    page: str | None = None  # "coordination" or "welcome"


def _kind(role: str) -> str:
    return "field" if role in FIELD_ROLES else role


def home_for(db: Database, actor: Actor | None) -> Home:
    """The home of ``actor`` (``None``: an anonymous visitor gets the welcome page)."""
    if actor is None:
        return Home(page="welcome")
    if actor.is_network_admin:
        return Home(href=ADMINISTRATION)
    held = {_kind(role) for role in actor.memberships.values()}
    for kind in PRIORITY:
        if kind not in held:
            continue
        if kind == "coordinator":
            return Home(page="coordination")
        if kind == "field":
            return Home(href=MY_DAY)
        if kind == "secretariat":
            return Home(href=AGENDA)
        first = _first_structure(db, actor, kind)
        if kind == "director":
            return Home(href=f"/structures/{first}")
        return Home(href=f"/structures/{first}/journal")
    return Home(page="welcome")


def _first_structure(db: Database, actor: Actor, role: str) -> int:
    ids = [sid for sid, r in actor.memberships.items() if r == role]
    return lookups.structures(db, ids)[0]["id"]


def coordination(access: AccessContext, day: date) -> list[dict]:
    """For each structure the actor coordinates: its urgent unread transmissions and who works
    ``day`` (both asked to their domain's service, which checks and audits)."""
    from virage.agenda import service as agenda
    from virage.transmissions import service as transmissions

    actor = access.require_login()
    blocks = []
    for s in transmissions.coordinated_structures(access):
        block = {"structure": s, "urgent": transmissions.unacknowledged_urgent(access, s["id"])}
        if actor.role_in(s["id"]) is not None and access.allowed(
            "agenda.availability.read", structure_id=s["id"]
        ):
            block["team"] = agenda.team_today(access, s["id"], day)
        blocks.append(block)
    return blocks
