"""Escalation that runs by itself: started with the web application (hook ``on_startup``), a
task widens every ~30 s the alerts nobody took in time, in every structure.

Bounded (one round reads each structure's open alerts once) and crash-safe (a failing round is
logged and the next one comes); it runs in a worker thread with that thread's own database
connection, so the pages never wait for it. ``virage alertes escalader`` stays for cron. Tests
call :func:`run_once` on a pinned clock, and :func:`run` with a fake sleep: no real wait.
``VIRAGE_ALERTS_ESCALATION_SECONDS=0`` turns the task off (for instance when cron runs it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os

from virage.sdk import Database, accounts, plural
from virage.sdk.devices import acting_for_structure
from virage_alerts import escalation

log = logging.getLogger("virage.alerts")
INTERVAL = 30.0
#: At most this many structures per round (a network has a few hundred).
MAX_STRUCTURES = 5000


def interval() -> float:
    raw = os.environ.get("VIRAGE_ALERTS_ESCALATION_SECONDS", "")
    try:
        return max(0.0, min(3600.0, float(raw))) if raw else INTERVAL
    except ValueError:
        return INTERVAL


def run_once(db: Database) -> int:
    """One round: widen what is due in every structure; returns how many alerts moved."""
    moved = 0
    for structure in accounts.structures(db)[:MAX_STRUCTURES]:
        with acting_for_structure(structure["id"]):
            moved += len(escalation.escalate_due(db, structure["id"]))
    return moved


def _round(pool) -> int:
    return run_once(pool.get())


async def run(pool, seconds: float, rounds: int | None = None, sleep=asyncio.sleep) -> int:
    """Every ``seconds``, one round (``rounds`` of them, or until cancelled); returns the rounds
    that failed. An error is logged, never raised: the next round comes anyway."""
    failed, done = 0, 0
    while rounds is None or done < rounds:
        await sleep(seconds)
        done += 1
        try:
            moved = await asyncio.to_thread(_round, pool)
            if moved:
                log.info("Alertes : %s.", plural(moved, "alerte élargie"))
        except Exception:  # crash-safe: log, go on
            failed += 1
            log.exception("Alertes : l'élargissement automatique a échoué, nouvel essai bientôt.")
    return failed


async def start(app) -> None:
    """Start the task (hook ``on_startup``) and cancel it when the application stops."""
    seconds = interval()
    pool = app.state.get("pool")
    if not seconds or pool is None:
        return
    task = asyncio.get_running_loop().create_task(run(pool, seconds), name="alerts-escalation")

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task

    app.on_shutdown.insert(0, stop)
