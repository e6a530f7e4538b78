"""What other parts of Virage may ask the system domain (instance metadata, health) instead of
reading its table through ``virage.system.storage``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from virage.db import Database, transaction
from virage.db import pending_migrations as db_pending
from virage.system import storage

if TYPE_CHECKING:
    from virage.plugins import PluginHost


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


def clear_demo_database(db: Database) -> bool:
    """PostgreSQL, before ``virage demo``: empty the schema when it holds a demonstration
    database; ``False`` (nothing touched) when it holds anything else. An empty schema: ``True``."""
    tables = storage.schema_tables(db)
    if not tables:
        return True
    if "instance" not in tables or not is_demo(db):
        return False
    with transaction(db):
        storage.drop_schema_contents(db)
    return True


def postgres_demo_state(db: Database) -> bool | None:
    """PostgreSQL, before ``virage demo`` keeps a database: ``True`` when the schema holds a
    demonstration database, ``False`` when it is empty, ``None`` when it holds anything else."""
    tables = storage.schema_tables(db)
    if not tables:
        return False
    if "instance" not in tables or not is_demo(db):
        return None
    return True


def ping(db: Database) -> bool:
    """The database answers (health check)."""
    return storage.ping(db)


def pending_migrations(db: Database, plugins: PluginHost) -> int:
    """How many migrations of the core and the plugins are not applied yet (health check)."""
    return len(db_pending(db, plugins.call_flat("register_migrations")))
