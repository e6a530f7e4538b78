"""Dependencies that every handler (core or plugin) can ask for, with their explicit markers.

Usage in a handler::

    from virage.deps import DB, Plugins, AppSettings

    @get("/")
    async def page(self, db: DB, plugins: Plugins) -> Template: ...
"""

from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency

from virage.access import Registry
from virage.accounts.context import AccessContext
from virage.db import Database
from virage.plugins import PluginHost
from virage.settings import Settings

#: A SQLite connection of the current thread (``Database``).
DB: TypeAlias = NamedDependency[Database]
#: The plugin host of the application (to call hooks).
Plugins: TypeAlias = NamedDependency[PluginHost]
#: The instance's settings.
AppSettings: TypeAlias = NamedDependency[Settings]
#: The access model applied to the current request: ``access.require("perm", person_id=…)``.
Access: TypeAlias = NamedDependency[AccessContext]
#: The permissions declared by the core and the plugins.
Permissions: TypeAlias = NamedDependency[Registry]
