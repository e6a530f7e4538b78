"""HTTP endpoints of the system domain."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, HttpMethod, MediaType, get, route
from litestar.params import FromPath, QueryParameter
from litestar.response import Response, Template
from pydantic import BaseModel, Field

from virage import __version__
from virage.deps import DB, Plugins
from virage.errors import ServiceUnavailable
from virage.system import service


class Health(BaseModel):
    status: str = Field(description='"ok" when the service and its database answer')
    database: str = Field(description='"ok", or "unavailable" when the database does not answer')
    engine: str = Field(
        description='The database engine serving the instance: "sqlite" or "postgresql"'
    )
    migrations: int | None = Field(
        description="Number of migrations not applied yet: 0 when the schema is up to date "
        "(null when the database does not answer)"
    )
    version: str
    failed_plugins: int = Field(
        description="Number of plugins that failed to load or raised in a hook"
    )


class PluginError(BaseModel):
    stage: str = Field(description='"load", "register" or the name of the hook that raised')
    error: str


class PluginInfo(BaseModel):
    name: str
    version: str | None
    distribution: str | None
    builtin: bool
    hooks: list[str]
    info: dict
    status: str = Field(description='"ok" or "error"')
    errors: list[PluginError]


class SystemController(Controller):
    path = "/"
    tags = ["Système"]

    @get("/healthz", summary="État du service", media_type=MediaType.JSON, cache=False)
    async def healthz(self, db: DB, plugins: Plugins) -> Response[Health]:
        pending = None
        try:
            ok = service.ping(db)
            pending = service.pending_migrations(db, plugins)
        except (db.Error, ServiceUnavailable):
            ok = False
        health = Health(
            status="ok" if ok else "degraded",
            database="ok" if ok else "unavailable",
            engine=db.dialect,
            migrations=pending,
            version=__version__,
            failed_plugins=len({f.plugin for f in plugins.failures}),
        )
        return Response(health, status_code=200 if ok else 503)


class PluginsController(Controller):
    path = "/api/v1/plugins"
    tags = ["Système"]

    @get("/", summary="Plugins installés", description="Nom, version et hooks de chaque plugin.")
    async def list_plugins(
        self,
        plugins: Plugins,
        builtins: Annotated[
            bool, QueryParameter(description="Inclure les modules intégrés du cœur")
        ] = False,
    ) -> list[PluginInfo]:
        return [PluginInfo(**p) for p in plugins.listing(include_builtins=builtins)]


class PagesController(Controller):
    path = "/"
    include_in_schema = False

    @get("/plugins", name="plugins-page")
    async def plugins_page(self, plugins: Plugins) -> Template:
        return Template("plugins.html", context={"plugins": plugins.listing(include_builtins=True)})


@route(
    ["/docs", "/docs/{path:path}"],
    http_method=[HttpMethod.GET, HttpMethod.HEAD],
    include_in_schema=False,
    status_code=404,
)
async def docs_missing(path: FromPath[str] = "") -> Template:
    # HEAD answers like GET (404, no body) wherever GET works, built docs or not.
    return Template("docs_missing.html", status_code=404)
