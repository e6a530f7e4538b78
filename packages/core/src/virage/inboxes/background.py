"""Handover and escalation that run by themselves: started with the web application (hook
``on_startup``), a task goes every ~30 s through the on-call inboxes.

Bounded (one round reads each on-call inbox's open items once) and crash-safe (a failing round is
logged, the next one comes); it runs in a worker thread with that thread's own database
connection. Tests call :func:`virage.inboxes.routing.run_once` on a pinned clock.
``VIRAGE_INBOXES_ROUTING_SECONDS=0`` turns the task off (a cron may run ``run_once`` instead).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os

from virage.french import plural
from virage.inboxes import routing

log = logging.getLogger("virage.inboxes")
INTERVAL = 30.0


def interval() -> float:
    raw = os.environ.get("VIRAGE_INBOXES_ROUTING_SECONDS", "")
    try:
        return max(0.0, min(3600.0, float(raw))) if raw else INTERVAL
    except ValueError:
        return INTERVAL


async def run(pool, plugins, seconds: float, rounds: int | None = None, sleep=asyncio.sleep):
    """Every ``seconds``, one round (``rounds`` of them, or until cancelled); returns the rounds
    that failed. An error is logged, never raised."""
    failed, done = 0, 0
    while rounds is None or done < rounds:
        await sleep(seconds)
        done += 1
        try:
            moved = await asyncio.to_thread(lambda: routing.run_once(pool.get(), plugins))
            if moved:
                log.info("Boîtes : %s.", plural(moved, "élément relayé"))
        except Exception:  # crash-safe: log, go on
            failed += 1
            log.exception("Boîtes : la relève et l'escalade ont échoué, nouvel essai bientôt.")
    return failed


async def start(app) -> None:
    """Start the task (hook ``on_startup``) and cancel it when the application stops."""
    seconds = interval()
    pool, plugins = app.state.get("pool"), app.state.get("plugins")
    if not seconds or pool is None:
        return
    task = asyncio.get_running_loop().create_task(
        run(pool, plugins, seconds), name="inboxes-routing"
    )

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task

    app.on_shutdown.insert(0, stop)
