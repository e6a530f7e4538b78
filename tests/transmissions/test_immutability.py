"""Traceability: a transmission changes only during its short grace period, and only by its
author; afterwards corrections are new linked entries. The database refuses the rest too."""

from __future__ import annotations

import pytest

from tests.transmissions.conftest import bearer, csrf_from, login, write
from virage.db import connect
from virage.errors import ConfigurationError
from virage.settings import Settings
from virage.transmissions import storage


def _sql(world):
    """A connection of its own, as someone typing SQL on the server would open (either engine)."""
    return connect(world.settings.db_path)


# --------------------------------------------------------------------------- the grace period


def test_the_author_corrects_a_typo_during_the_grace_period(client, world):
    t = write(client, world, "nurse_a").json()
    assert t["editable_until"] > t["created_at"]
    changed = client.patch(
        f"/api/v1/transmissions/{t['id']}",
        json={"data": "Retrouvée au sol, hématome à la tempe.", "priority": "important"},
        headers=bearer(world, "nurse_a"),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["data"] == "Retrouvée au sol, hématome à la tempe."
    # the search index follows the change
    found = client.get("/api/v1/transmissions/search?q=tempe", headers=bearer(world, "care_a"))
    assert [x["id"] for x in found.json()] == [t["id"]]
    gone = client.get("/api/v1/transmissions/search?q=front", headers=bearer(world, "care_a"))
    assert gone.json() == []


def test_only_the_author_may_change_or_withdraw(client, world):
    t = write(client, world, "nurse_a").json()
    other = bearer(world, "care_a")
    refused = client.patch(f"/api/v1/transmissions/{t['id']}", json={"data": "x"}, headers=other)
    assert refused.status_code == 403
    assert "Seul l'auteur" in refused.json()["detail"]
    assert client.delete(f"/api/v1/transmissions/{t['id']}", headers=other).status_code == 403


def test_the_author_withdraws_a_transmission_written_on_the_wrong_person(client, world):
    t = write(client, world, "nurse_a").json()
    client.post(
        f"/api/v1/transmissions/{t['id']}/acknowledgements", headers=bearer(world, "care_a")
    )
    assert (
        client.delete(
            f"/api/v1/transmissions/{t['id']}", headers=bearer(world, "nurse_a")
        ).status_code
        == 204
    )
    assert (
        client.get(f"/api/v1/transmissions/{t['id']}", headers=bearer(world, "nurse_a")).status_code
        == 404
    )
    db = connect(world.settings.db_path)
    (action,) = db.execute(
        "SELECT action FROM audit_log WHERE target = ? ORDER BY id DESC LIMIT 1",
        [f"transmission:{t['id']}"],
    ).fetchone()
    assert action == "transmissions.withdraw"


def test_a_transmission_with_a_result_can_no_longer_be_withdrawn(client, world):
    t = write(client, world, "nurse_a").json()
    client.post(
        f"/api/v1/transmissions/{t['id']}/results",
        json={"results": "Radio sans fracture."},
        headers=bearer(world, "care_a"),
    )
    refused = client.delete(f"/api/v1/transmissions/{t['id']}", headers=bearer(world, "nurse_a"))
    assert refused.status_code == 409


# --------------------------------------------------------------------------- after the grace period


def test_after_the_grace_period_nothing_changes_through_the_api(no_grace_client, world):
    client = no_grace_client
    t = write(client, world, "nurse_a").json()
    assert t["editable_until"] == t["created_at"]
    headers = bearer(world, "nurse_a")
    changed = client.patch(f"/api/v1/transmissions/{t['id']}", json={"data": "x"}, headers=headers)
    assert changed.status_code == 409
    assert "Écrivez une correction" in changed.json()["detail"]
    assert client.delete(f"/api/v1/transmissions/{t['id']}", headers=headers).status_code == 409
    still = client.get(f"/api/v1/transmissions/{t['id']}", headers=headers).json()
    assert still["data"] == t["data"]


def test_after_the_grace_period_nothing_changes_through_the_web(no_grace_client, world):
    client = no_grace_client
    t = write(client, world, "nurse_a").json()
    login(client, "nurse_a")
    token = csrf_from(client.get(f"/transmissions/{t['id']}").text)
    assert client.get(f"/transmissions/{t['id']}/modifier").status_code == 409
    posted = client.post(
        f"/transmissions/{t['id']}/modifier",
        data={"_csrf_token": token, "target": "chute", "data": "réécrit"},
    )
    assert posted.status_code == 409
    assert "délai de correction" in posted.text
    withdrawn = client.post(f"/transmissions/{t['id']}/retirer", data={"_csrf_token": token})
    assert withdrawn.status_code == 409
    page = client.get(f"/personnes/{world.persons['p1']}/transmissions")
    assert t["data"] in page.text and "réécrit" not in page.text
    assert "Modifier (délai de correction)" not in page.text


def test_direct_sql_cannot_change_or_delete_after_the_grace_period(no_grace_client, world):
    t = write(no_grace_client, world, "nurse_a").json()
    conn = _sql(world)
    for statement in (
        "UPDATE transmissions SET data = 'falsifié' WHERE id = ?",
        "UPDATE transmissions SET priority = 'normal' WHERE id = ?",
        "UPDATE transmissions SET results = 'ajouté en douce' WHERE id = ?",
        "DELETE FROM transmissions WHERE id = ?",
    ):
        with pytest.raises(conn.IntegrityError, match=r"immuable|jamais"):
            conn.execute(statement, [t["id"]])
    assert conn.execute("SELECT data FROM transmissions WHERE id = ?", [t["id"]]).fetchone() == (
        t["data"],
    )


def test_direct_sql_cannot_forge_identity_dates_or_endless_grace(client, world):
    t = write(client, world, "nurse_a").json()  # still within its grace period
    conn = _sql(world)
    for statement in (
        "UPDATE transmissions SET author_id = author_id + 1 WHERE id = ?",
        "UPDATE transmissions SET person_id = person_id WHERE id = ?",
        "UPDATE transmissions SET created_at = '2020-01-01T00:00:00+00:00' WHERE id = ?",
        "UPDATE transmissions SET editable_until = '2999-01-01T00:00:00+00:00' WHERE id = ?",
    ):
        with pytest.raises(conn.IntegrityError):
            conn.execute(statement, [t["id"]])
    columns = (
        "person_id, structure_id, author_id, author_label, target, category, priority,"
        " occurred_at, created_at, editable_until, data"
    )
    row = conn.execute(f"SELECT {columns} FROM transmissions WHERE id = ?", [t["id"]]).fetchone()
    # a copy written "in the future" or with an endless grace period is refused
    future = (*row[:8], "2999-01-01T00:00:00+00:00", "2999-01-01T00:05:00+00:00", row[10])
    with pytest.raises(conn.IntegrityError):
        conn.execute(
            f"INSERT INTO transmissions ({columns}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", future
        )
    endless = (*row[:9], "2999-01-01T00:00:00+00:00", row[10])
    with pytest.raises(conn.IntegrityError):
        conn.execute(
            f"INSERT INTO transmissions ({columns}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", endless
        )


def test_acknowledgements_are_append_only(no_grace_client, world):
    t = write(no_grace_client, world, "nurse_a").json()
    no_grace_client.post(
        f"/api/v1/transmissions/{t['id']}/acknowledgements", headers=bearer(world, "care_a")
    )
    conn = _sql(world)
    with pytest.raises(conn.IntegrityError):
        conn.execute("UPDATE transmissions_acks SET at = '2020-01-01T00:00:00+00:00'")
    with pytest.raises(conn.IntegrityError):
        conn.execute("DELETE FROM transmissions_acks")


def test_only_the_retention_purge_of_a_closed_record_deletes(no_grace_client, world, monkeypatch):
    from virage.cli import main

    client = no_grace_client
    t = write(client, world, "nurse_a").json()
    client.post(
        f"/api/v1/transmissions/{t['id']}/acknowledgements", headers=bearer(world, "care_a")
    )
    db = connect(world.settings.db_path)
    p1 = world.persons["p1"]
    with pytest.raises(db.IntegrityError):
        storage.delete_for_person(db, p1)  # the person is still followed
    # refused as a whole: the transmission, its acknowledgement, no purge mark left behind
    assert db.execute("SELECT count(*) FROM transmissions").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM transmissions_acks").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM transmissions_purge").fetchone()[0] == 0
    assert (
        client.post(f"/api/v1/persons/{p1}/close", headers=bearer(world, "coord_a")).status_code
        == 200
    )
    # closed: no new transmission
    assert write(client, world, "nurse_a").status_code == 409
    db.execute("UPDATE persons SET closed_at = '2019-01-01T00:00:00+00:00' WHERE id = ?", [p1])
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    assert main(["persons", "purge", "--apply"]) == 0
    assert db.execute("SELECT count(*) FROM transmissions").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM transmissions_acks").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM transmissions_purge").fetchone()[0] == 0
    # nothing of it left in the full-text index either (FTS5 keeps its own copy of the words)
    if db.dialect == "sqlite":
        leftover = "SELECT count(*) FROM transmissions_fts WHERE transmissions_fts MATCH 'hematome'"
    else:
        leftover = (
            "SELECT count(*) FROM transmissions WHERE search @@ to_tsquery('simple', 'hematome')"
        )
    assert db.execute(leftover).fetchone()[0] == 0


# --------------------------------------------------------------------------- corrections, results


def test_a_correction_is_a_new_entry_and_both_stay_visible(no_grace_client, world):
    client = no_grace_client
    t = write(client, world, "nurse_a", data="Pansement du talon droit refait.").json()
    corrected = client.post(
        f"/api/v1/transmissions/{t['id']}/corrections",
        json={"target": "peau", "data": "Pansement du talon GAUCHE refait (erreur de côté)."},
        headers=bearer(world, "care_a"),
    )
    assert corrected.status_code == 201, corrected.text
    c = corrected.json()
    assert (c["kind"], c["parent_id"], c["author_id"]) == (
        "correction",
        t["id"],
        world.users["care_a"],
    )
    timeline = client.get(
        f"/api/v1/transmissions?person_id={world.persons['p1']}", headers=bearer(world, "nurse_a")
    ).json()
    assert {x["id"] for x in timeline} == {t["id"], c["id"]}
    original = next(x for x in timeline if x["id"] == t["id"])
    assert original["data"] == "Pansement du talon droit refait."
    assert [k["id"] for k in original["children"]] == [c["id"]]
    login(client, "nurse_a")
    page = client.get(f"/personnes/{world.persons['p1']}/transmissions").text
    assert "talon droit" in page and "talon GAUCHE" in page
    assert "a été corrigée" in page and f'Corrige la <a href="/transmissions/{t["id"]}">' in page


def test_results_are_added_later_by_another_professional(no_grace_client, world):
    client = no_grace_client
    t = write(client, world, "nurse_a").json()
    added = client.post(
        f"/api/v1/transmissions/{t['id']}/results",
        json={"results": "Radio sans fracture, retour à domicile."},
        headers=bearer(world, "care_a"),
    )
    assert added.status_code == 201
    r = added.json()
    assert (r["kind"], r["parent_id"], r["author_id"]) == ("result", t["id"], world.users["care_a"])
    one = client.get(f"/api/v1/transmissions/{t['id']}", headers=bearer(world, "coord_a")).json()
    assert one["results"] == "" and one["children"][0]["results"].startswith("Radio")
    # results attach to a transmission, not to a result; corrections neither
    assert (
        client.post(
            f"/api/v1/transmissions/{r['id']}/results",
            json={"results": "x"},
            headers=bearer(world, "care_a"),
        ).status_code
        == 400
    )


def test_grace_setting_is_read_from_the_environment():
    assert (
        Settings.from_env({"VIRAGE_TRANSMISSION_GRACE_MINUTES": "12"}).transmission_grace_minutes
        == 12
    )
    assert Settings.from_env({}).transmission_grace_minutes == 5
    for bad in ("-1", "deux", "61"):
        with pytest.raises(ConfigurationError, match="VIRAGE_TRANSMISSION_GRACE_MINUTES"):
            Settings.from_env({"VIRAGE_TRANSMISSION_GRACE_MINUTES": bad})
