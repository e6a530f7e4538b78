"""The poller: started with the web application (hook ``on_startup``), a task fetches every
bridged inbox every ``VIRAGE_MSSANTE_POLL_SECONDS`` (120 s by default; ``0`` turns it off, for
instance when cron runs ``virage mssante relever``).

Crash-safe (a failing round is logged, the next one comes), in a worker thread with its own
database connection so that pages never wait for the mail server. Tests call :func:`run` with a
fake sleep: no real wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from virage.sdk import plural
from virage_mssante import config as settings
from virage_mssante import fetch

log = logging.getLogger("virage.mssante")


def _round(pool, plugins) -> fetch.Report:
    return fetch.fetch_all(pool.get(), plugins, settings.load())


async def run(pool, plugins, seconds: float, rounds: int | None = None, sleep=asyncio.sleep):
    """Every ``seconds``, one round (``rounds`` of them, or until cancelled); returns the rounds
    that failed. An error is logged, never raised."""
    failed, done = 0, 0
    while rounds is None or done < rounds:
        await sleep(seconds)
        done += 1
        try:
            report = await asyncio.to_thread(_round, pool, plugins)
            if report.stored:
                log.info("MSSanté : %s.", plural(report.stored, "message reçu"))
        except Exception:  # crash-safe: log, go on
            failed += 1
            log.exception("MSSanté : la relève a échoué, nouvel essai bientôt.")
    return failed


async def start(app) -> None:
    """Start the poller (hook ``on_startup``) and cancel it when the application stops."""
    config = settings.load()
    pool, plugins = app.state.get("pool"), app.state.get("plugins")
    if not config.imap_host or not config.poll_seconds or pool is None:
        return
    task = asyncio.get_running_loop().create_task(
        run(pool, plugins, config.poll_seconds), name="mssante-poller"
    )

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task

    app.on_shutdown.insert(0, stop)
