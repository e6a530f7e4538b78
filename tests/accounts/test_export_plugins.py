"""Sections that plugins add to the RGPD export are filtered by the core, with the same rules.

A plugin names the permission that governs each section; data without a declared permission (or
with a permission nobody declared) is exported only in the complete, reasoned export.
"""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from tests.accounts.conftest import bearer
from virage.access import permission
from virage.accounts.export import ExportSection
from virage.app import create_app
from virage.plugins import hookimpl

MOTIF = "Demande de la personne (droit d'accès), courrier du 2 mai"


class Undeclared:
    """Returns its data the old way: a plain dict, no permission."""

    __name__ = "undeclared-test"

    @hookimpl
    def extra_person_export(self, person_id):
        return {"contenu": "Donnée sans permission déclarée"}


class Declared:
    __name__ = "declared-test"

    @hookimpl
    def register_permissions(self):
        return [permission("declaredtest.read", "Lire les données du module de test", ["director"])]

    @hookimpl
    def extra_person_export(self, db, person_id):
        return [
            ExportSection(
                "lisible", "Partie de la direction", "declaredtest.read", "Pour la direction"
            ),
            ExportSection("orpheline", "Permission inconnue", "nulle.part", "Jamais sans motif"),
        ]


class Broken:
    __name__ = "broken-test"

    @hookimpl
    def extra_person_export(self, person_id):
        raise RuntimeError("boom")


@pytest.fixture
def plugged(world):
    app = create_app(world.settings, plugins=[Undeclared(), Declared(), Broken()])
    with TestClient(app) as c:
        yield c


def _export(client, world, user, motif=None):
    url = f"/api/v1/persons/{world.persons['p1']}/export"
    if motif:
        r = client.post(url, json={"motif": motif}, headers=bearer(world, user))
    else:
        r = client.get(url, headers=bearer(world, user))
    assert r.status_code == 200, r.text
    return r


def test_plugin_sections_follow_their_permission(plugged, world):
    r = _export(plugged, world, "director_a")
    body = r.json()
    assert body["autres_donnees"]["declared-test"] == {"lisible": "Pour la direction"}
    assert "Donnée sans permission déclarée" not in r.text
    assert "Jamais sans motif" not in r.text
    reasons = {(o["module"], o["section"]): o["raison"] for o in body["sections_omises"]}
    assert "ne déclare pas qui peut lire" in reasons[("undeclared-test", "donnees")]
    assert "ne déclare pas qui peut lire" in reasons[("declared-test", "orpheline")]
    dpo = _export(plugged, world, "dpo_a").json()
    assert "declared-test" not in dpo["autres_donnees"]
    assert ("declared-test", "lisible") in {
        (o["module"], o["section"]) for o in dpo["sections_omises"]
    }


def test_the_complete_export_holds_undeclared_data_and_survives_a_broken_plugin(plugged, world):
    r = _export(plugged, world, "dpo_a", MOTIF)
    others = r.json()["autres_donnees"]
    assert others["undeclared-test"] == {"donnees": {"contenu": "Donnée sans permission déclarée"}}
    assert others["declared-test"] == {
        "lisible": "Pour la direction",
        "orpheline": "Jamais sans motif",
    }
    assert "broken-test" not in others
    assert r.json()["sections_omises"] == []
    listing = plugged.get("/api/v1/plugins").json()
    broken = [p for p in listing if p["name"] == "broken-test"]
    assert broken and broken[0]["status"] == "error"
