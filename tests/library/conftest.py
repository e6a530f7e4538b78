"""Fixtures for the library: the accounts' small world (structures a/b, users of every role)."""

from __future__ import annotations

from tests.accounts.conftest import (  # noqa: F401
    _world_template,
    app,
    bearer,
    client,
    csrf_from,
    login,
    world,
)

# The browser scenario: Chromium's settings, the built docs and the demo server of tests/e2e.
from tests.conftest import browser_type_launch_args, built_docs, capture  # noqa: F401
from tests.e2e.conftest import live_server, phone, server_env  # noqa: F401
from virage.library.pdf import simple_pdf

NIGHT = simple_pdf([["Procédure de nuit", "Appeler l'astreinte de la coordination."]])
NIGHT_V2 = simple_pdf([["Procédure de nuit (mise à jour)", "Appeler le 06 00 00 00 00."]])


def form_post(http, url, data, files=None):
    token = csrf_from(http.get("/moi").text)
    return http.post(url, data={**data, "_csrf_token": token}, files=files, follow_redirects=False)


def add_document(
    http, the_world, title="Procédure de nuit", pdf=NIGHT, folder_id=None, kind="procedure"
):
    data = {"title": title, "kind": kind}
    if folder_id:
        data["folder_id"] = str(folder_id)
    return form_post(
        http,
        f"/bibliotheque/structures/{the_world.structures['a']}/documents",
        data,
        {"file": ("procedure-nuit.pdf", pdf, "application/pdf")},
    )


def add_folder(http, the_world, name, parent_id=None):
    data = {"name": name}
    if parent_id:
        data["parent_id"] = str(parent_id)
    return form_post(http, f"/bibliotheque/structures/{the_world.structures['a']}/dossiers", data)


def created_id(response) -> int:
    return int(response.headers["location"].split("?")[0].rstrip("/").rsplit("/", 1)[1])
