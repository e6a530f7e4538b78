"""Which structures the current request acts for: the key of PostgreSQL's row-level security.

The access layer sets it once the worker is known (:func:`acting_for`); the PostgreSQL connection
sends it before the next statement (``virage.structures``). Outside a request (the command line,
migrations, background writers) nothing is set and the code acts as the system: it sees every row,
as the administrator who runs it on the server does. A request without a signed-in worker acts for
no structure. SQLite has no row-level security: there the setting is simply not read.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable

SYSTEM = "all"
NOBODY = ""

_acting_for: contextvars.ContextVar[str] = contextvars.ContextVar(
    "virage_acting_for", default=SYSTEM
)


_user: contextvars.ContextVar[str] = contextvars.ContextVar("virage_acting_user", default="")


def acting_for(
    structure_ids: Iterable[int] | None, user_id: int | None = None
) -> contextvars.Token:
    """From now on in this context, act for ``structure_ids`` (``None``: for none), as the worker
    ``user_id`` (who may read what is recorded about herself, whatever the structure)."""
    ids = sorted({int(i) for i in structure_ids or ()})
    _user.set(str(int(user_id)) if user_id is not None else "")
    return _acting_for.set(",".join(str(i) for i in ids) if ids else NOBODY)


def as_system() -> contextvars.Token:
    """Act as the system in this context (a background task started from a request)."""
    return _acting_for.set(SYSTEM)


def reset(token: contextvars.Token) -> None:
    _acting_for.reset(token)
    _user.set("")


def scope_setting() -> str:
    """The value of ``virage.structures`` for the current context."""
    return _acting_for.get()


def user_setting() -> str:
    """The value of ``virage.user`` (the worker's id, or empty) for the current context."""
    return _user.get()
