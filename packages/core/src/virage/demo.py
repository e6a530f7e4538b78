"""The demo database: a fictitious territory, created reproducibly from a seed.

The core only creates the database and calls ``on_demo_created``; the territory itself lives in
the ``virage-demo-territory`` package (``examples/demo-territory/``), a plugin like any other.
"""

from __future__ import annotations

import json
from importlib.metadata import entry_points
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
#: Plugins installed with Virage that the demo never loads: the example to copy is not a feature.
NOT_IN_DEMO = frozenset({"hello"})
#: The instance key keeping the banner printed when the demo was built (shown again when kept).
BANNER_KEY = "demo_banner"


def demo_plugins(settings: Settings) -> Settings:
    """The settings of the demo: without ``VIRAGE_PLUGINS``, every installed plugin except the
    examples (:data:`NOT_IN_DEMO`); with it, exactly the listed ones."""
    if settings.plugins is not None:
        return settings
    names = sorted({ep.name for ep in entry_points(group="virage")} - NOT_IN_DEMO)
    return settings.with_(plugins=tuple(names))


def _existing_demo(settings: Settings) -> bool | None:
    """``True``: a demo database is there; ``False``: none (or an empty PostgreSQL schema);
    ``None``: something that is not a demo database."""
    if isinstance(resolve(settings.database), str):
        db = connect(settings.database)
        try:
            return system.postgres_demo_state(db)
        finally:
            db.close()
    if not settings.db_path.exists():
        return False
    return True if system.is_demo_file(settings.db_path) else None


def keep_demo(settings: Settings, plugins: PluginHost) -> list[str] | None:
    """Keep the demo database already there (migrated to this version): the lines to print, or
    ``None`` when there is none to keep (then build it with :func:`create_demo`)."""
    state = _existing_demo(settings)
    if state is None:
        raise ConfigurationError(
            "La base de VIRAGE_DB existe et n'est pas une base de démonstration : elle n'a pas "
            "été modifiée. Indiquez un autre fichier ou une base vide pour la démonstration."
        )
    if not state:
        return None
    db = prepare_database(settings, plugins)
    try:
        banner = system.instance_info(db).get(BANNER_KEY)
    finally:
        db.close()
    lines = json.loads(banner) if banner else []
    return [
        "Base de démonstration conservée : ce que vous y avez fait est toujours là "
        "(./scripts/demo --reset pour repartir de zéro).",
        *lines,
    ]


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
        system.set_instance_info(db, BANNER_KEY, json.dumps(lines, ensure_ascii=False))
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
