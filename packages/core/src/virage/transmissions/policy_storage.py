"""Row-level security of the transmissions (PostgreSQL; see :mod:`virage.db_policies`)."""

from __future__ import annotations

from virage.db import Database
from virage.db_policies import structure_policy


def create_row_security(db: Database) -> None:
    """Migration ``core/0092_row_security_transmissions``: transmissions by structure."""
    structure_policy(db, "transmissions")
