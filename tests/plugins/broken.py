"""Tiny test plugins (datasette-style): each misbehaves in one precise way."""

from __future__ import annotations

from litestar import get

from virage.plugins import hookimpl
from virage.web.nav import NavItem


class RaisesInRoutes:
    __name__ = "raises-in-routes"

    @hookimpl
    def register_routes(self):
        raise RuntimeError("boom in register_routes")


class RaisesInNav:
    __name__ = "raises-in-nav"

    @hookimpl
    def register_nav_items(self):
        raise ValueError("boom in nav")


class RaisesOnStartup:
    __name__ = "raises-on-startup"

    @hookimpl
    async def on_startup(self, app):
        raise RuntimeError("boom at start-up")


@get("/ok-plugin", include_in_schema=False)
async def ok_page() -> str:
    return "ok-plugin"


class WellBehaved:
    __name__ = "well-behaved"

    @hookimpl
    def register_routes(self):
        return [ok_page]

    @hookimpl
    def register_nav_items(self):
        return [NavItem("Bien élevé", "/ok-plugin", order=600, public=True)]


class RecordsStartup:
    __name__ = "records-startup"

    def __init__(self):
        self.calls = []

    @hookimpl
    def on_startup(self, app, settings):
        async def later():
            self.calls.append(settings.db_path)

        return later
