"""What other parts of Virage may ask the system domain (instance metadata, health) instead of
reading its table through ``virage.system.storage``."""

from __future__ import annotations

from pathlib import Path

from virage.db import Database
from virage.system import storage


def instance_info(db: Database) -> dict[str, str]:
    """The instance's metadata (``created_at``, ``demo``, ``demo_seed``, ``territory``…)."""
    return storage.instance_info(db)


def set_instance_info(db: Database, key: str, value: str) -> None:
    """Set one metadata key (demo creation, command line)."""
    storage.set_instance_info(db, key, value)


def is_demo(db: Database) -> bool:
    """This is a demonstration database (created by ``virage demo``)."""
    return instance_info(db).get("demo") == "1"


def is_demo_file(path: Path) -> bool:
    """The database file at ``path`` is a demonstration database (before replacing it)."""
    return storage.is_demo_file(path)


def ping(db: Database) -> bool:
    """The database answers (health check)."""
    return storage.ping(db)
