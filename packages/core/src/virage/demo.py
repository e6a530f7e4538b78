"""The demo database: a fictitious territory, created reproducibly from a seed.

The core only creates the database and calls ``on_demo_created``; the territory itself lives in
the ``virage-demo-territory`` package (``examples/demo-territory/``), a plugin like any other.
"""

from __future__ import annotations

from pathlib import Path

from virage.accounts import lookups
from virage.app import prepare_database
from virage.db import connect, resolve
from virage.errors import ConfigurationError
from virage.plugins import PluginHost
from virage.settings import Settings
from virage.system import service as system

DEFAULT_DEMO_DB = Path("var/demo.db")
DEFAULT_SEED = 2026
TERRITORY_NAME = "Val-de-Loue (territoire fictif de démonstration)"


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _clear_postgres(url: str) -> None:
    """A PostgreSQL database for the demo: empty, or a demo database (emptied first)."""
    db = connect(url)
    try:
        if not system.clear_demo_database(db):
            raise ConfigurationError(
                "La base PostgreSQL de VIRAGE_DB contient des données et n'est pas une base de "
                "démonstration : elle n'a pas été modifiée. Indiquez une base vide pour la "
                "démonstration."
            )
    finally:
        db.close()


def create_demo(settings: Settings, plugins: PluginHost, seed: int = DEFAULT_SEED) -> list[str]:
    """Create (or refresh) the demo database at ``settings.db_path``; return lines to print.

    Refuses to replace a database that is not a demo database: real data is never overwritten.
    """
    path = settings.db_path
    postgres = isinstance(resolve(settings.database), str)  # the engine serving VIRAGE_DB
    if postgres:
        _clear_postgres(settings.database)
    elif path.exists():
        if not system.is_demo_file(path):
            raise ConfigurationError(
                f"{path} existe et n'est pas une base de démonstration : elle n'a pas été modifiée. "
                "Indiquez un autre fichier dans VIRAGE_DB pour la démonstration."
            )
        _remove_database(path)
    db = prepare_database(settings, plugins)
    try:
        system.set_instance_info(db, "demo", "1")
        system.set_instance_info(db, "demo_seed", str(seed))
        system.set_instance_info(db, "territory", TERRITORY_NAME)
        lines: list[str] = []
        for result in plugins.call(
            "on_demo_created", db=db, settings=settings, seed=seed, plugins=plugins
        ):
            lines.extend(result)
        empty = not lookups.structures(db)
    finally:
        db.close()
    if empty:
        if not postgres:
            _remove_database(path)
        raise ConfigurationError(
            "Aucun territoire de démonstration n'est chargé : installez le paquet "
            "virage-demo-territory (examples/demo-territory) ou ajoutez « demo_territory » à "
            "VIRAGE_PLUGINS. Aucune base n'a été créée."
        )
    return lines
