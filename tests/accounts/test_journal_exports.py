"""The journal's exports, by attack: a director exports the entries about one person (« who
accessed her data »), never the whole journal with every author (from which she could rebuild a
worker's activity); the whole journal is the DPO's, with a reason, flagged. Also: the DPO can open
the activity of a departed worker, and « Qui a consulté ce dossier » names plugin actions in French.
"""

from __future__ import annotations

import csv
import io
import json

from litestar.testing import TestClient

from tests.accounts.conftest import bearer, csrf_from, login
from tests.accounts.sql import query
from virage.app import create_app
from virage.audit import service as audit
from virage.db import connect
from virage.plugins import hookimpl


def _journal(world, structure="a"):
    return f"/structures/{world.structures[structure]}/journal"


def _entries(world, action: str):
    return query(
        world.settings.db_path,
        "SELECT actor_user_id, outcome, emergency, details FROM audit_log WHERE action = ?"
        " ORDER BY id",
        [action],
    )


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _activity(client, world):
    """The nurse reads Jeanne Durand's record, and the structure's person list (no person)."""
    login(client, "nurse_a")
    assert client.get(f"/personnes/{world.persons['p1']}").status_code == 200
    client.cookies.clear()
    login(client, "coord_a")
    client.get(f"/structures/{world.structures['a']}/personnes")
    client.cookies.clear()


# --------------------------------------------------------------------------- CSV, the page


def test_director_exports_the_entries_about_one_person_only(client, world):
    _activity(client, world)
    p1 = world.persons["p1"]
    login(client, "director_a")
    page = client.get(_journal(world), params={"personne": p1})
    assert "format=csv" in page.text and "Exporter ces entrées (CSV)" in page.text
    r = client.get(_journal(world), params={"personne": p1, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert f"personne-{p1}.csv" in r.headers["content-disposition"]
    rows = _rows(r.text)
    assert rows[0][:3] == ["id", "date (UTC)", "auteur"]
    assert len(rows) > 1 and {row[4] for row in rows[1:]} == {str(p1)}
    assert "coord a" not in r.text  # her list of persons is no line about Jeanne Durand
    [(actor, outcome, flagged, details)] = _entries(world, "audit.export")
    assert (actor, outcome, flagged) == (world.users["director_a"], "allowed", 0)
    assert json.loads(details) == {"filtres": {"personne": p1}}


def test_director_cannot_export_the_whole_journal(client, world):
    _activity(client, world)
    login(client, "director_a")
    page = client.get(_journal(world))
    assert "/journal/export" not in page.text and "Exporter tout le journal" not in page.text
    assert "choisissez d'abord une personne" in page.text
    r = client.get(_journal(world), params={"format": "csv"})
    assert r.status_code == 403
    assert "DPO" in r.text and "Choisissez une personne" in r.text
    assert "nurse a" not in r.text
    # Even with a reason, by the DPO's form.
    r = client.post(
        _journal(world) + "/export",
        data={"_csrf_token": csrf_from(page.text), "motif": "Je veux tout relire ce mois-ci"},
    )
    assert r.status_code == 403 and "id;date" not in r.text
    refused = _entries(world, "audit.export_all")
    assert [(a, o) for a, o, *_ in refused] == [(world.users["director_a"], "denied")] * 2


def test_other_roles_and_structures_export_nothing(client, world):
    p1 = world.persons["p1"]
    for user in ("coord_a", "nurse_a", "secretary_a"):
        client.cookies.clear()
        login(client, user)
        for params in ({"format": "csv"}, {"format": "csv", "personne": p1}):
            assert client.get(_journal(world), params=params).status_code == 403, (user, params)
    client.cookies.clear()
    login(client, "director_a")  # another structure's journal, even for one of its persons
    other = {"format": "csv", "personne": world.persons["p2"]}
    assert client.get(_journal(world, "b"), params=other).status_code == 404
    client.cookies.clear()
    login(client, "dpo_a")
    page = client.get(_journal(world))
    r = client.post(
        _journal(world, "b") + "/export",
        data={"_csrf_token": csrf_from(page.text), "motif": "Contrôle demandé par la CNIL"},
    )
    assert r.status_code == 404
    client.cookies.clear()
    anonymous = client.get(_journal(world), params={"format": "csv"}, follow_redirects=False)
    assert anonymous.status_code in (302, 303, 401) and "id;date" not in anonymous.text


def test_dpo_exports_the_whole_journal_with_a_reason_flagged(client, world):
    _activity(client, world)
    login(client, "dpo_a")
    page = client.get(_journal(world))
    assert 'action="/structures/' in page.text and "Exporter tout le journal" in page.text
    # Without a reason: refused and recorded, nothing exported.
    assert client.get(_journal(world), params={"format": "csv"}).status_code == 400
    r = client.post(
        _journal(world) + "/export", data={"_csrf_token": csrf_from(page.text), "motif": "vu"}
    )
    assert r.status_code == 400 and "motif" in r.text
    reason = "Contrôle demandé par la CNIL le 3 mars"
    r = client.post(
        _journal(world) + "/export", data={"_csrf_token": csrf_from(page.text), "motif": reason}
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "nurse a" in r.text and "coord a" in r.text  # every line, with its author
    entries = _entries(world, "audit.export_all")
    assert [(o, f) for _, o, f, _ in entries] == [("denied", 0), ("denied", 0), ("allowed", 1)]
    assert json.loads(entries[-1][3])["motif"] == reason
    # The flagged export shows among the exceptional accesses, with its reason.
    flagged = client.get(_journal(world), params={"urgence": "true"}).text
    assert "export motivé de tout le journal" in flagged and reason in flagged


# --------------------------------------------------------------------------- the API


def test_api_requires_a_person_except_for_the_dpo_with_a_reason(client, world):
    _activity(client, world)
    p1 = world.persons["p1"]
    director = bearer(world, "director_a")
    r = client.get("/api/v1/audit", headers=director)
    assert r.status_code == 403 and "DPO" in r.json()["detail"]
    # Period and action filters without a person are the same whole journal, page after page.
    for params in ({"since": "2020-01-01"}, {"action": "persons.read"}, {"offset": 200}):
        assert client.get("/api/v1/audit", params=params, headers=director).status_code == 403
    r = client.get("/api/v1/audit", params={"person_id": p1}, headers=director)
    assert r.status_code == 200 and {e["person_id"] for e in r.json()} == {p1}
    r = client.post(
        "/api/v1/audit/export", json={"motif": "Relire tout le mois de mars"}, headers=director
    )
    assert r.status_code == 403
    assert client.get("/api/v1/audit", headers=bearer(world, "nurse_a")).status_code == 403
    # The DPO: a reason, by POST.
    dpo = bearer(world, "dpo_a")
    assert client.get("/api/v1/audit", headers=dpo).status_code == 400
    assert client.post("/api/v1/audit/export", json={}, headers=dpo).status_code == 400
    r = client.post(
        "/api/v1/audit/export",
        json={"motif": "Enquête sur un accès signalé par une famille", "action": "persons.read"},
        headers=dpo,
    )
    assert r.status_code == 200 and {e["action"] for e in r.json()} == {"persons.read"}
    assert world.users["nurse_a"] in {e["actor_user_id"] for e in r.json()}
    outcomes = [(a, o, f) for a, o, f, _ in _entries(world, "audit.export_all")]
    director_id, dpo_id = world.users["director_a"], world.users["dpo_a"]
    assert outcomes == [
        *[(director_id, "denied", 0)] * 5,
        (world.users["nurse_a"], "denied", 0),
        (dpo_id, "denied", 0),
        (dpo_id, "denied", 0),
        (dpo_id, "allowed", 1),
    ]


# --------------------------------------------------------------------------- departed workers


def test_dpo_reads_the_activity_of_a_departed_worker(client, world):
    _activity(client, world)
    nurse = world.users["nurse_a"]
    query(world.settings.db_path, "UPDATE users SET active = 0 WHERE id = ?", [nurse])
    login(client, "dpo_a")
    page = client.get(_journal(world))
    options = page.text.split('id="professionnel"')[1].split("</select>")[0]
    assert f'<option value="{nurse}">nurse a (compte désactivé)</option>' in options
    assert f'<option value="{world.users["nurse2_a"]}">nurse2 a</option>' in options
    assert "nurse b" not in options
    r = client.post(
        _journal(world) + "/activite",
        data={
            "_csrf_token": csrf_from(page.text),
            "professionnel": str(nurse),
            "motif": "Plainte reçue après son départ",
        },
    )
    assert r.status_code == 200 and "Consultation du dossier" in r.text.split("<tbody>")[1]
    client.cookies.clear()
    login(client, "director_a")  # the director still has no such list
    assert 'id="professionnel"' not in client.get(_journal(world)).text


# --------------------------------------------------------------------------- plugin labels


class _Plugin:
    @hookimpl
    def register_audit_actions(self):
        return {"essai.dossier.lu": "Lecture du dossier par le plugin d'essai"}


def test_who_read_this_record_names_plugin_actions_in_french(world):
    db = connect(world.settings.db_path)
    try:
        audit.record(
            db,
            None,
            "essai.dossier.lu",
            structure_id=world.structures["a"],
            person_id=world.persons["p1"],
            actor_label="nurse a",
        )
        db.commit()
    finally:
        db.close()
    with TestClient(create_app(world.settings, plugins=[_Plugin()])) as client:
        login(client, "coord_a")
        page = client.get(f"/personnes/{world.persons['p1']}").text
        section = page.split('id="acces"')[1].split("</section>")[0]
        assert "Lecture du dossier par le plugin d&#39;essai" in section
        assert "<code>essai.dossier.lu</code>" in section  # the code stays, small
