"""Printed transfer document, RGPD export, and the hooks other plugins use."""

from __future__ import annotations

from html import unescape

import pytest
from litestar.testing import TestClient

from tests.accounts.conftest import csrf_from
from tests.transmissions.conftest import bearer, login, write
from virage.accounts.context import AccessContext
from virage.accounts.service import actor_for_user
from virage.accounts.storage import get_user
from virage.app import build_registry, create_app
from virage.db import connect
from virage.errors import Forbidden
from virage.plugins import PluginHost, hookimpl
from virage.transmissions import service
from virage.transmissions.targets import TransmissionTarget, TransmissionTemplate


def test_the_printed_transfer_document_is_complete_and_audited(client, world):
    t = write(client, world, "nurse_a", priority="urgent", actions="Relevée à deux.").json()
    client.post(
        f"/api/v1/transmissions/{t['id']}/results",
        json={"results": "Pas de fracture."},
        headers=bearer(world, "care_a"),
    )
    login(client, "nurse_a")
    p1 = world.persons["p1"]
    page = client.get(f"/personnes/{p1}/transmissions/impression", params={"du": "2020-01-01"})
    assert page.status_code == 200
    html = page.text
    for expected in (
        "Transmissions de Jeanne DURAND",
        "secret professionnel",
        "du 1er janvier 2020",
        "Retrouvée au sol",
        "Relevée à deux.",
        "Pas de fracture.",
        "Urgente",
        "/static/transmissions-print.css",
    ):
        assert expected in html, expected
    db = connect(world.settings.db_path)
    (details,) = db.execute(
        "SELECT details FROM audit_log WHERE action = 'transmissions.export' AND person_id = ?",
        [p1],
    ).fetchone()
    assert '"du": "2020-01-01"' in details


@pytest.mark.parametrize("name", ["care_a", "secretary_a", "director_a"])
def test_printing_is_for_nurses_and_the_coordination(client, world, name):
    write(client, world, "nurse_a")
    login(client, name)
    page = client.get(f"/personnes/{world.persons['p1']}/transmissions/impression")
    assert page.status_code == 403
    assert "Retrouvée au sol" not in page.text


@pytest.mark.parametrize("scope", ["sante", "tout"])
def test_no_transfer_print_against_the_person_objection(client, world, scope):
    """Printed for a hospital or another service, the document leaves the care team: refused
    (with the reason, audited) when the person objected to that sharing (art. L1110-4 CSP)."""
    write(client, world, "nurse_a")
    login(client, "coord_a")
    p1 = world.persons["p1"]
    page = client.get("/moi")
    recorded = client.post(
        f"/personnes/{p1}/opposition",
        data={"scope": scope, "date": "2026-03-03", "_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert recorded.status_code == 303
    printed = client.get(f"/personnes/{p1}/transmissions/impression")
    assert printed.status_code == 403
    assert "Retrouvée au sol" not in printed.text
    assert "s'est opposé·e le 3 mars 2026" in unescape(printed.text)
    timeline = client.get(f"/personnes/{p1}/transmissions").text
    assert 'id="pas-de-transfert"' in timeline and "Préparer le document" not in timeline
    db = connect(world.settings.db_path)
    outcomes = db.execute(
        "SELECT outcome FROM audit_log WHERE action = 'transmissions.export' ORDER BY id"
    ).fetchall()
    assert [o for (o,) in outcomes] == ["allowed", "denied"]


def test_a_wrong_period_is_explained(client, world):
    login(client, "coord_a")
    url = f"/personnes/{world.persons['p1']}/transmissions/impression"
    assert "AAAA-MM-JJ" in client.get(url, params={"du": "hier"}).text
    empty = client.get(url, params={"du": "2026-03-10", "au": "2026-03-01"})
    assert empty.status_code == 400 and "période est vide" in empty.text


def test_the_rgpd_export_contains_the_transmissions(client, world):
    t = write(client, world, "nurse_a").json()
    client.post(
        f"/api/v1/transmissions/{t['id']}/acknowledgements", headers=bearer(world, "care_a")
    )
    url = f"/api/v1/persons/{world.persons['p1']}/export"
    director = client.get(url, headers=bearer(world, "director_a")).json()
    assert "virage.transmissions.plugin" not in director["autres_donnees"]  # secrecy
    export = client.post(
        url, json={"motif": "Droit d'accès de la personne"}, headers=bearer(world, "dpo_a")
    ).json()
    ours = export["autres_donnees"]["virage.transmissions.plugin"]
    assert [x["id"] for x in ours["transmissions"]] == [t["id"]]
    assert ours["prises_de_connaissance"][0]["user_id"] == world.users["care_a"]


class Teleconsultation:
    """A tiny plugin: a target, a template, and a listener."""

    __name__ = "teleconsultation-test"

    def __init__(self):
        self.created = []

    @hookimpl
    def register_transmission_targets(self):
        return [
            TransmissionTarget("teleconsultation", "Téléconsultation", "soins", 150),
            TransmissionTemplate(
                "teleconsultation", "Compte rendu", data="Motif : …", actions="Conduite : …"
            ),
            TransmissionTemplate("chute", "Chute vue en téléconsultation", data="Vu par …"),
            TransmissionTemplate("inexistante", "Modèle orphelin", data="…"),
        ]

    @hookimpl
    def on_transmission_created(self, transmission):
        self.created.append((transmission["id"], transmission["source"], transmission["target"]))


def test_plugins_add_targets_and_templates_and_hear_each_transmission(world):
    plugin = Teleconsultation()
    app = create_app(world.settings, plugins=[plugin])
    with TestClient(app) as client:
        nomenclature = client.get("/api/v1/transmissions/targets", headers=bearer(world, "nurse_a"))
        codes = [t["code"] for t in nomenclature.json()["targets"]]
        assert "teleconsultation" in codes and "chute" in codes
        labels = {m["label"]: m["source"] for m in nomenclature.json()["templates"]}
        assert labels["Compte rendu"] == "teleconsultation-test"
        assert "Chute vue en téléconsultation" in labels
        assert "Modèle orphelin" not in labels
        failures = app.state.plugins.failures
        assert any("inexistante" in f.error for f in failures)
        created = write(client, world, "nurse_a", target="teleconsultation", data="Motif : plaie.")
        assert created.status_code == 201
        assert plugin.created == [(created.json()["id"], "api", "teleconsultation")]
        login(client, "nurse_a")
        form = client.get(f"/personnes/{world.persons['p1']}/transmissions/nouvelle").text
        assert 'value="teleconsultation"' in form and "Compte rendu" in form


def test_a_plugin_creates_a_transmission_through_the_access_model(world):
    host = PluginHost(world.settings)
    db = connect(world.settings.db_path)
    registry = build_registry(host)

    def as_user(name):
        actor = actor_for_user(db, get_user(db, world.users[name]), via="session")
        return AccessContext(db, registry, actor, route="plugin teleconsultation")

    created = service.create_transmission(
        as_user("nurse_a"),
        host,
        world.persons["p1"],
        target="liaison",
        data="Téléconsultation avec le Dr Morel : plaie propre.",
        source="teleconsultation",
        client_id="teleconsultation-rdv-118",
    )
    assert created.created and created.transmission["source"] == "teleconsultation"
    again = service.create_transmission(
        as_user("nurse_a"),
        host,
        world.persons["p1"],
        target="liaison",
        data="x",
        client_id="teleconsultation-rdv-118",
    )
    assert not again.created and again.transmission["id"] == created.transmission["id"]
    with pytest.raises(Forbidden):
        service.create_transmission(
            as_user("secretary_a"), host, world.persons["p1"], target="liaison", data="x"
        )
    audit = db.execute(
        "SELECT route FROM audit_log WHERE action = 'transmissions.created'"
    ).fetchall()
    assert audit == [("plugin teleconsultation",)]
