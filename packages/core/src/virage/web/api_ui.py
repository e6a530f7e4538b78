"""The API page (``/schema/``): Swagger UI from the local ``swagger-ui-bundle`` package.

Litestar's Swagger plugin writes the start-up code and the whole schema into an inline script,
which the Content-Security-Policy refuses. This page loads only files: Swagger UI's bundle, then
``/static/api-ui.js``, which reads the schema's address from the page and starts Swagger UI.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin

from virage.web.assets import SITE_ASSETS, StaticAssets

#: Where Swagger UI's own files are served.
API_UI_PREFIX = "/static/api-ui"


def swagger_assets_dir() -> Path:
    from swagger_ui_bundle import swagger_ui_path

    return Path(str(swagger_ui_path))


#: Swagger UI's files (from the ``swagger-ui-bundle`` package), served under ``API_UI_PREFIX``.
SWAGGER_ASSETS = StaticAssets(API_UI_PREFIX, swagger_assets_dir())


class SwaggerPage(OpenAPIRenderPlugin):
    """Swagger UI without inline script (every script is a file of this site)."""

    def __init__(
        self,
        *,
        path: str = "/",
        site: StaticAssets = SITE_ASSETS,
        swagger: StaticAssets = SWAGGER_ASSETS,
    ) -> None:
        super().__init__(path=path)
        self.site = site
        self.swagger = swagger

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        title = escape(str(openapi_schema.get("info", {}).get("title", "API")))
        spec_url = escape(self.get_openapi_json_route(request))
        ui, site = self.swagger.url, self.site.url
        return f"""<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="icon" type="image/png" href="{ui("favicon-32x32.png")}">
  <link rel="stylesheet" href="{ui("swagger-ui.css")}">
  <link rel="stylesheet" href="{site("api-ui.css")}">
</head>
<body>
  <div id="swagger-container" data-spec-url="{spec_url}"></div>
  <script src="{ui("swagger-ui-bundle.js")}"></script>
  <script src="{ui("swagger-ui-standalone-preset.js")}"></script>
  <script src="{site("api-ui.js")}"></script>
</body>
</html>
""".encode()
