"""Corrections flow back: a user reports a wrong entry in one click, the network reviews it, the
entry is not overwritten (the next import would undo it), and the reports export as ROR-shaped
anomaly Tasks."""

from __future__ import annotations

import re

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.task import Task

from tests.accounts.conftest import bearer, csrf_from, login
from virage.db import connect
from virage.directory.imports import run_import

API = "/api/v1/directory"


@pytest.fixture
def nurse(world, directory):
    return bearer(world, "nurse_a")


def _sid(client, h, finess="010000073"):
    return client.get(f"{API}/structures/finess/{finess}", headers=h).json()["id"]


def test_one_click_report_from_the_entry_page(client, directory):
    login(client, "secretary_a")
    search = client.get("/annuaire", params={"q": "bassin burgien"})
    href = re.search(r'class="dir-name" href="([^"]+)"', search.text).group(1)
    page = client.get(href)
    assert "Signaler une erreur sur cette fiche" in page.text
    assert 'name="champ" value="phone"' in page.text
    sent = client.post(
        href + "/signaler",
        data={
            "champ": "phone",
            "valeur": "",
            "commentaire": "",
            "_csrf_token": csrf_from(page.text),
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"].endswith("?signale=1")
    thanks = client.get(sent.headers["location"])
    assert "votre signalement est transmis" in thanks.text
    # the secretary cannot review
    assert client.get("/annuaire/signalements").status_code == 403


def test_review_accept_reject_and_export(client, world, nurse, directory, source, list_file):
    sid = _sid(client, nurse)
    before = client.get(f"{API}/structures/{sid}", headers=nurse).json()
    made = client.post(
        f"{API}/corrections/",
        json={
            "target_type": "structure",
            "target_id": sid,
            "field": "phone",
            "proposed": "04 74 99 99 99",
            "comment": "Le numéro sonne dans le vide",
        },
        headers=nurse,
    )
    assert made.status_code == 201, made.text
    report = made.json()
    assert report["status"] == "open" and report["current_value"] == before["phone"]
    other = client.post(
        f"{API}/corrections/",
        json={"target_type": "structure", "target_id": sid, "field": "closed"},
        headers=nurse,
    ).json()
    bad = client.post(
        f"{API}/corrections/",
        json={"target_type": "structure", "target_id": sid, "field": "couleur"},
        headers=nurse,
    )
    assert bad.status_code == 400 and "Choisissez ce qui est faux" in bad.json()["detail"]
    assert client.get(f"{API}/corrections/", headers=nurse).status_code == 403

    login(client, "admin")
    page = client.get("/annuaire/signalements")
    assert page.status_code == 200 and "Le numéro sonne dans le vide" in page.text
    token = csrf_from(page.text)
    no_note = client.post(
        f"/annuaire/signalements/{other['id']}", data={"decision": "rejected", "_csrf_token": token}
    )
    assert no_note.status_code == 400
    rejected = client.post(
        f"/annuaire/signalements/{other['id']}",
        data={
            "decision": "rejected",
            "note": "Ouverte, vérifié par téléphone",
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert rejected.status_code == 303
    accepted = client.post(
        f"/annuaire/signalements/{report['id']}",
        data={"decision": "accepted", "note": "Confirmé par la structure", "_csrf_token": token},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    again = client.post(
        f"/annuaire/signalements/{report['id']}",
        data={"decision": "rejected", "note": "x", "_csrf_token": token},
    )
    assert again.status_code == 409

    # The entry keeps the registry's value (an import would put it back) and shows the error.
    after = client.get(f"{API}/structures/{sid}", headers=nurse).json()
    assert after["phone"] == before["phone"]
    entry = client.get(f"/annuaire/structures/{sid}")
    assert "Erreur confirmée par le réseau" in entry.text and "04 74 99 99 99" in entry.text
    db = connect(world.settings.db_path)
    try:
        run_import(db, source, list_file)
        actions = [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY id")]
    finally:
        db.conn.close()
    assert "Erreur confirmée par le réseau" in client.get(f"/annuaire/structures/{sid}").text
    assert {"directory.correction.report", "directory.correction.review"} <= set(actions)

    export = client.get("/annuaire/signalements/export.fhir.json")
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("application/fhir+json")
    bundle = export.json()
    Bundle.model_validate(bundle)
    (entry,) = bundle["entry"]  # only the confirmed report
    task = entry["resource"]
    Task.model_validate(task)
    assert task["focus"]["identifier"] == {
        "system": "https://finess.esante.gouv.fr",
        "value": "010000073",
    }
    assert task["businessStatus"]["coding"][0]["code"] == "02"
    assert task["reasonCode"]["coding"][0]["code"] == "COR"
    assert task["code"]["coding"][0]["code"] == "06"
    inputs = {i["type"]["coding"][0]["code"]: i for i in task["input"]}
    assert inputs["proposedValue"]["valueString"] == "04 74 99 99 99"
    assert inputs["systemRequester"]["valueString"] == "Virage"
    assert "telecom" in inputs["pathElementError"]["valueExpression"]["expression"]
    rejected_only = client.get(
        "/annuaire/signalements/export.fhir.json", params={"etat": "rejected"}
    )
    assert len(rejected_only.json()["entry"]) == 1


def test_reports_are_bounded_and_checked(client, nurse):
    sid = _sid(client, nurse)
    too_long = client.post(
        f"{API}/corrections/",
        json={"target_type": "structure", "target_id": sid, "field": "other", "comment": "x" * 501},
        headers=nurse,
    )
    assert too_long.status_code == 400
    empty_other = client.post(
        f"{API}/corrections/",
        json={"target_type": "structure", "target_id": sid, "field": "other"},
        headers=nurse,
    )
    assert empty_other.status_code == 400
    missing = client.post(
        f"{API}/corrections/",
        json={"target_type": "structure", "target_id": 999999, "field": "phone"},
        headers=nurse,
    )
    assert missing.status_code == 404
    for _ in range(5):
        ok = client.post(
            f"{API}/corrections/",
            json={"target_type": "structure", "target_id": sid, "field": "name"},
            headers=nurse,
        )
        assert ok.status_code == 201
    sixth = client.post(
        f"{API}/corrections/",
        json={"target_type": "structure", "target_id": sid, "field": "name"},
        headers=nurse,
    )
    assert sixth.status_code == 409
