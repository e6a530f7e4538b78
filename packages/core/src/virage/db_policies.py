"""Row-level security on PostgreSQL: a second lock behind the services' own checks.

Each request tells its connection which structures the worker acts for (``virage.structures``,
see :mod:`virage.db_scope`). A table that holds a structure's data declares a policy keyed on its
structure (:func:`structure_policy`) or on its person
(:func:`virage.accounts.policy_storage.person_policy`, through the person's own policy): a query that forgot its ``WHERE structure_id = ?`` still returns no other
structure's row, and cannot write one. ``FORCE`` makes the policies apply to the tables' owner
(the role Virage connects with); a superuser or a ``BYPASSRLS`` role is refused at start.

The command line and the background writers act as the system (``all``). There is no other way
round the policies: the network administrator's pages act for her own structures, like anyone's.
On SQLite these functions do nothing (one structure per embedded instance; the services' checks
remain the lock).
"""

from __future__ import annotations

from virage.db import Database
from virage.db_ddl import SCOPE_FUNCTIONS, sees, widen


def create_scope_function(db: Database) -> None:
    for function in SCOPE_FUNCTIONS:
        db.execute(function)


def enable(db: Database, table: str) -> None:
    widen(db, table)  # before a policy depends on its columns (see virage.db_ddl)
    db.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    db.execute(f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY')


def structure_policy(db: Database, table: str, column: str = "structure_id") -> None:
    """Rows of ``table`` are seen and written only for the structures acted for (by ``column``)."""
    if db.dialect != "postgresql":
        return
    enable(db, table)
    db.execute(
        f'CREATE POLICY "{table}_structure" ON "{table}"'
        f" USING {sees(column)} WITH CHECK {sees(column)}"
    )


def drop_policy(db: Database, table: str, name: str) -> None:
    """Remove a policy before a migration rebuilds its table (it is declared again after)."""
    if db.dialect != "postgresql":
        return
    db.execute(f'DROP POLICY IF EXISTS "{name}" ON "{table}"')
