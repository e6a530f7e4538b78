"""Row-level security keyed on the person (PostgreSQL): the accounts domain owns ``persons``.

A table whose rows belong to a person (care team, objections, a plugin's records about her)
declares :func:`person_policy`: its rows are seen and written only when the person is — that is,
when ``persons``' own structure policy lets the current request see her.
"""

from __future__ import annotations

from virage.db import Database
from virage.db_policies import enable, structure_policy


def person_policy(db: Database, table: str, column: str = "person_id") -> None:
    """Rows of ``table`` follow their person (by ``column``): nothing on SQLite."""
    if db.dialect != "postgresql":
        return
    enable(db, table)
    condition = (
        "current_setting('virage.structures', true) = 'all'"
        f' OR "{column}" IN (SELECT id FROM persons)'
    )
    db.execute(
        f'CREATE POLICY "{table}_person" ON "{table}" USING ({condition}) WITH CHECK ({condition})'
    )


def create_row_security(db: Database) -> None:
    """Migration ``core/0090_row_security_accounts``: persons by structure, their care team,
    emergency accesses and objections by person (PostgreSQL; nothing on SQLite)."""
    structure_policy(db, "persons")
    for table in ("care_team", "emergency_accesses", "sharing_objections"):
        person_policy(db, table)
