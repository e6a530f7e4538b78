"""Group commit: many requests' small durable writes (audit entries) share one fsync.

Every read of personal data writes an audit entry, and the entry must be durable before the answer
leaves (``synchronous=FULL``). Committing each entry on its own costs one fsync per read and, on
the event loop, stalls every other request while the disk works. Instead:

- during a request, :func:`write_soon` keeps the statement in a per-request buffer (a context
  variable set by :class:`GroupCommitMiddleware`);
- if the request opens a write transaction (:func:`virage.db.transaction`), the buffered
  statements are written first *inside* that transaction: an audited write and its audit entry
  commit together, or not at all;
- otherwise, just before the response starts (or before an error propagates), the middleware
  hands the buffer to the :class:`GroupCommitter` of the database and **awaits** it. One writer
  thread per database commits everything that is waiting in one transaction: one fsync for the
  entries of many concurrent requests, and the event loop is free while the disk works. If that
  commit fails, the answer is replaced by a 503: no personal data leaves unaudited.

Outside a request (the CLI, tests that call services directly) :func:`write_soon` writes at once.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import queue
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("virage")

Statement = tuple[str, Sequence[Any]]

#: Statements written by the current request and not yet committed (``None``: not in a request).
_pending: contextvars.ContextVar[list[Statement] | None] = contextvars.ContextVar(
    "virage_pending_writes", default=None
)

MAX_BATCH = 2000  # statements committed together at most (bounds one transaction's size)


def write_soon(db, sql: str, params: Sequence[Any]) -> None:
    """Execute ``sql`` durably before the current answer leaves, sharing the commit if possible.

    Inside a transaction, or outside a request, the statement runs at once on ``db``.
    """
    buffer = _pending.get()
    if buffer is None or db.in_transaction:
        db.execute(sql, list(params))
        return
    buffer.append((sql, list(params)))


def take_pending() -> list[Statement]:
    """Remove and return the current request's buffered statements."""
    buffer = _pending.get()
    if not buffer:
        return []
    taken = list(buffer)
    buffer.clear()
    return taken


def restore_pending(statements: list[Statement]) -> None:
    """Put back statements that a rolled-back transaction had taken: they still must be written."""
    buffer = _pending.get()
    if buffer is not None and statements:
        buffer[:0] = statements


def flush_into(db) -> list[Statement]:
    """Write the request's buffered statements on ``db`` now (inside its open transaction, if any).

    Called when a transaction begins (it returns what it wrote there, for
    :func:`restore_pending` if that transaction rolls back), and before reading back what the
    buffer may hold (the audit trail's own pages), so that a request always sees its own writes.
    """
    statements = take_pending()
    if not statements:
        return []
    if db.in_transaction:
        for sql, params in statements:
            db.execute(sql, params)
        return statements
    db.begin()
    try:
        for sql, params in statements:
            db.execute(sql, params)
    except BaseException:
        db.rollback()
        restore_pending(statements)
        raise
    db.commit()
    return []


class GroupCommitter:
    """One writer thread for one database, committing waiting batches together."""

    def __init__(self, opener) -> None:
        self._open = opener  # () -> Database: the writer thread's own connection
        self._queue: queue.Queue[tuple[list[Statement], Future] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.commits = 0  # for tests and benchmarks: how many transactions were needed

    def _ensure_started(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="virage-group-commit", daemon=True
                )
                self._thread.start()

    def submit(self, statements: list[Statement]) -> Future:
        """Queue ``statements``; the returned future completes once they are durable."""
        future: Future = Future()
        self._ensure_started()
        self._queue.put((statements, future))
        return future

    async def commit(self, statements: list[Statement]) -> None:
        """Await the durable commit of ``statements`` without blocking the event loop."""
        if statements:
            await asyncio.wrap_future(self.submit(statements))

    def close(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout=10)

    def _run(self) -> None:
        db = None
        try:
            while True:
                job = self._queue.get()
                if job is None:
                    return
                batch, size, stop = [job], len(job[0]), False
                while size < MAX_BATCH:
                    try:
                        more = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        stop = True
                        break
                    batch.append(more)
                    size += len(more[0])
                try:
                    db = db or self._open()
                except Exception as exc:  # the database is down: these answers become 503s
                    log.exception("Journal : base injoignable")
                    for _, future in batch:
                        future.set_exception(exc)
                else:
                    self._commit_batch(db, batch)
                    if getattr(getattr(db, "conn", None), "broken", False):
                        db = self._forget(db)  # a server restart: reconnect for the next batch
                if stop:
                    return
        finally:
            if db is not None:
                self._forget(db)

    @staticmethod
    def _forget(db) -> None:
        try:
            db.close()
        except Exception:
            log.warning("Journal : fermeture d'une connexion cassée impossible")

    def _commit_batch(self, db, batch) -> None:
        try:
            self._write(db, [s for statements, _ in batch for s in statements])
        except Exception:
            # One bad statement must not fail the others: retry each job on its own.
            for statements, future in batch:
                try:
                    self._write(db, statements)
                except Exception as exc:
                    log.exception("Écriture groupée impossible")
                    future.set_exception(exc)
                else:
                    future.set_result(None)
            return
        for _, future in batch:
            future.set_result(None)

    def _write(self, db, statements: list[Statement]) -> None:
        db.begin()
        try:
            for sql, params in statements:
                db.execute(sql, params)
        except BaseException:
            db.rollback()
            raise
        db.commit()
        self.commits += 1


_UNAVAILABLE = (
    b'{"status_code": 503, "title": "Service indisponible", "detail": "L\'acc\\u00e8s n\'a pas '
    b"pu \\u00eatre enregistr\\u00e9 dans le journal : la r\\u00e9ponse n'est pas envoy\\u00e9e. "
    b'R\\u00e9essayez dans un instant."}'
)


class GroupCommitMiddleware(ASGIMiddleware):
    """Gives each request a write buffer and makes it durable before the answer starts."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        committer: GroupCommitter = scope["app"].state.pool.group_committer
        buffer: list[Statement] = []
        token = _pending.set(buffer)
        refused = False

        def drain() -> list[Statement]:
            taken = list(buffer)
            buffer.clear()
            return taken

        async def durable_send(message: Message) -> None:
            nonlocal refused
            if refused:
                return
            if message["type"] == "http.response.start" and buffer:
                try:
                    await committer.commit(drain())
                except Exception:
                    refused = True
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 503,
                            "headers": [
                                (b"content-type", b"application/json"),
                                (b"cache-control", b"no-store"),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": _UNAVAILABLE})
                    return
            await send(message)

        try:
            await next_app(scope, receive, durable_send)
        except BaseException:
            # The error answer is sent further out: what was recorded (a refusal…) first.
            await committer.commit(drain())
            raise
        finally:
            _pending.reset(token)
        if buffer:  # written after the answer started (a streamed body): still made durable
            await committer.commit(drain())
