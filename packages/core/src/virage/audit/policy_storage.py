"""Row-level security of the audit trail (PostgreSQL; see :mod:`virage.db_policies`).

Read: a structure's entries by the structures acted for, and every entry about the worker's own
actions (what is recorded about a worker, the worker can see), whatever the structure. Write:
always allowed — an access must be recorded whoever makes it, even a refused one by nobody —
and the triggers keep the trail append-only.
"""

from __future__ import annotations

from virage.db import Database
from virage.db_ddl import sees
from virage.db_policies import enable


def create_row_security(db: Database) -> None:
    """Migration ``core/0093_row_security_audit``."""
    if db.dialect != "postgresql":
        return
    enable(db, "audit_log")
    db.execute(
        f'CREATE POLICY "audit_log_read" ON audit_log FOR SELECT USING ({sees("structure_id")}'
        " OR actor_user_id = (SELECT nullif(current_setting('virage.user', true), '')::bigint))"
    )
    db.execute('CREATE POLICY "audit_log_append" ON audit_log FOR INSERT WITH CHECK (true)')
    # Updates and deletes reach the refusing triggers, which raise an integrity error as on
    # SQLite: without a policy they would silently match no row.
    for command in ("UPDATE", "DELETE"):
        db.execute(
            f'CREATE POLICY "audit_log_{command.lower()}_refused" ON audit_log FOR {command}'
            " USING (true)"
        )
