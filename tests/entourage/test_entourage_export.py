"""The entourage in the person's RGPD export (health part only for whom may read it), its purge
with the record, and a closed record read-only."""

from __future__ import annotations

from tests.accounts.sql import query
from tests.entourage.conftest import ALLERGY, TRUSTED, add, bearer
from virage.cli import main
from virage.db import connect

MOTIF = "Demande d'accès de la personne du 3 mars"


def _others(client, world, user, motif=None):
    url = f"/api/v1/persons/{world.persons['p1']}/export"
    if motif:
        r = client.post(url, json={"motif": motif}, headers=bearer(world, user))
    else:
        r = client.get(url, headers=bearer(world, user))
    assert r.status_code == 200, r.text
    return r.json()


def test_export_keeps_declared_health_for_whom_may_read_it(client, world):
    add(client, world, "secretary_a", TRUSTED)
    add(client, world, "nurse_a", ALLERGY)
    director = _others(client, world, "director_a")  # not in the care team
    mine = director["autres_donnees"]["virage.entourage.plugin"]
    assert [e["name"] for e in mine["entourage"]] == ["Marie Durand"]
    assert "sante_declaree" not in mine and "Pénicilline" not in str(director)
    omitted = {(o["module"], o["section"]) for o in director["sections_omises"]}
    assert ("virage.entourage.plugin", "sante_declaree") in omitted
    complete = _others(client, world, "dpo_a", MOTIF)["autres_donnees"]["virage.entourage.plugin"]
    assert [e["detail"] for e in complete["sante_declaree"]] == ["Pénicilline"]


def test_a_closed_record_is_read_only_and_the_purge_deletes_the_entourage(
    client, world, monkeypatch
):
    p1 = world.persons["p1"]
    add(client, world, "secretary_a", TRUSTED)
    assert client.post(f"/api/v1/persons/{p1}/close", headers=bearer(world, "coord_a")).is_success
    r = add(client, world, "nurse_a", ALLERGY)
    assert r.status_code == 409 and "clos" in r.json()["detail"]
    db = connect(world.settings.db_path)
    db.execute("UPDATE persons SET closed_at = '2019-01-01T00:00:00+00:00' WHERE id = ?", [p1])
    db.close()
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    assert main(["persons", "purge", "--apply"]) == 0
    assert query(world.settings.db_path, "SELECT count(*) FROM entourage_entries") == [(0,)]
