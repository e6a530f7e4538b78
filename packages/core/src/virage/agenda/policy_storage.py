"""Row-level security of the agenda's tables (PostgreSQL; see :mod:`virage.db_policies`)."""

from __future__ import annotations

from virage.db import Database
from virage.db_policies import structure_policy


def create_row_security(db: Database) -> None:
    """Migration ``core/0091_row_security_agenda``: appointments, series and teams by structure."""
    for table in ("agenda_appointments", "agenda_series", "agenda_teams"):
        structure_policy(db, table)
