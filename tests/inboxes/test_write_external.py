"""Writing from a bridged inbox to an external professional chosen in the directory: the address
is the directory's MSSanté address, the connector receives exactly it, the message stays in the
inbox's history; every refusal is a French 4xx that stores and sends nothing."""

from __future__ import annotations

import json

import pytest

from tests.accounts.sql import query
from tests.inboxes.conftest import ADDRESS, bearer, csrf_from, login
from virage.directory.seeding import save_professional
from virage.inboxes import storage
from virage.inboxes.settings import InboxSettings, seed

DOCTOR = "anne.lefort@ch-loue.mssante.fr"


def professional(family: str, rpps: str, mssante: str | None) -> dict:
    return {
        "idnps": "8" + rpps,
        "rpps": rpps,
        "family_name": family,
        "given_name": "Anne",
        "profession_code": "10",
        "profession_label": "Médecin",
        "specialties": "[]",
        "mssante": mssante,
        "city": "Loue",
        "status": "open",
        "source": "test",
    }


@pytest.fixture
def pros(db):
    ids = {
        "doctor": save_professional(db, professional("Lefort", "10001234567", DOCTOR), [], []),
        "no_address": save_professional(db, professional("Lefortier", "10007654321", None), [], []),
    }
    db.commit()
    return ids


def _count(world) -> int:
    return query(world.settings.db_path, "SELECT count(*) FROM inbox_items")[0][0]


def _audit(world) -> list[tuple]:
    return query(
        world.settings.db_path,
        "SELECT outcome, details FROM audit_log WHERE action = 'inboxes.item.written_external'"
        " ORDER BY id",
    )


def test_a_nurse_finds_the_doctor_and_writes_from_the_pages(
    client, db, world, inbox, pros, recorder, pinned
):
    recorder.connector = True
    assert login(client, "nurse_a").status_code == 303
    page = client.get(f"/boites/{inbox}")
    assert f'href="/boites/{inbox}/ecrire-externe"' in page.text
    found = client.get(f"/boites/{inbox}/ecrire-externe", params={"q": "lefort"})
    assert found.status_code == 200
    assert "1 professionnel joignable" in found.text and DOCTOR in found.text
    assert "Lefortier" not in found.text  # no MSSanté address: not offered
    by_rpps = client.get(f"/boites/{inbox}/ecrire-externe", params={"q": "10001234567"})
    assert DOCTOR in by_rpps.text
    form_url = f"/boites/{inbox}/ecrire-externe/{pros['doctor']}"
    form = client.get(form_url)
    assert "Anne Lefort" in form.text and "Médecin" in form.text
    r = client.post(
        form_url,
        data={
            "subject": "Mme Durand : retour à domicile",
            "body": "Pouvez-vous nous envoyer le compte rendu ?",
            "person_id": str(world.persons["p1"]),
            "_csrf_token": csrf_from(form.text),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert recorder.sent == [
        (
            ADDRESS,
            DOCTOR,
            "Mme Durand : retour à domicile",
            "Pouvez-vous nous envoyer le compte rendu ?",
            None,
        )
    ]
    shown = client.get(r.headers["location"])
    assert "Message envoyé au professionnel" in shown.text
    assert f"Envoyé à Anne Lefort ({DOCTOR})" in shown.text
    assert "Pouvez-vous nous envoyer" in shown.text  # nurse_a is in Mme Durand's care team
    item_id = int(r.headers["location"].split("?")[0].rsplit("/", 1)[1])
    item = storage.item(db, item_id)
    assert (item["source"], item["status"], item["person_id"]) == (
        "outgoing",
        "closed",
        world.persons["p1"],
    )
    assert item["closed_by"] == world.users["nurse_a"]
    assert "Mme Durand : retour" in client.get(f"/boites/{inbox}").text  # in the history
    ((outcome, details),) = _audit(world)
    assert outcome == "allowed"
    assert json.loads(details)["destinataire"] == DOCTOR
    assert "écrit par vous à un professionnel extérieur" in client.get("/moi/enregistrements").text
    # A nurse outside Mme Durand's care team reads the subject and recipient, never the text.
    client.cookies.clear()
    outside = client.get(f"/api/v1/boites/elements/{item_id}", headers=bearer(world, "nurse2_a"))
    assert outside.json()["body"] is None and DOCTOR in outside.json()["outcome"]


@pytest.mark.parametrize(
    ("connector", "words"),
    [(False, "le connecteur a échoué"), (None, "Aucun connecteur")],
)
def test_the_api_says_when_the_message_did_not_leave(
    client, world, inbox, pros, recorder, pinned, connector, words
):
    recorder.connector = connector
    r = client.post(
        f"/api/v1/boites/{inbox}/ecrire-externe",
        json={"professional_id": pros["doctor"], "subject": "Compte rendu", "body": "Merci."},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 201, r.text
    assert r.json()["sent_out"] is connector and words in r.json()["message"]
    item = client.get(f"/api/v1/boites/elements/{r.json()['id']}", headers=bearer(world, "coord_a"))
    assert "reste dans Virage" in item.json()["outcome"]


def test_refusals_store_and_send_nothing(client, db, world, inbox, pros, recorder, pinned):
    recorder.connector = True
    shared = seed(db, world.structures["a"], InboxSettings(name="Secrétariat", kind="shared"))
    db.commit()
    body = {"professional_id": pros["doctor"], "subject": "Objet", "body": "Texte"}

    def write(user, inbox_id=inbox, **change):
        return client.post(
            f"/api/v1/boites/{inbox_id}/ecrire-externe",
            json={**body, **change},
            headers=bearer(world, user),
        )

    before = _count(world)
    r = write("nurse_a", professional_id=999_999)
    assert r.status_code == 404 and "annuaire" in r.json()["detail"]
    r = write("nurse_a", professional_id=pros["no_address"])
    assert r.status_code == 400 and "pas d'adresse de messagerie sécurisée" in r.json()["detail"]
    r = write("nurse_a", inbox_id=shared)
    assert r.status_code == 400 and "pas reliée" in r.json()["detail"]
    assert write("nurse_b").status_code == 404  # another structure's inbox
    r = write("secretary_a")
    assert r.status_code == 403 and "destinataires" in r.json()["detail"]
    assert write("nurse_a", person_id=world.persons["p2"]).status_code == 404
    for bad in ({"subject": None}, {"body": "x" * 20_001}, {"professional_id": -1}, {"to": "a@b"}):
        assert write("nurse_a", **bad).status_code == 400
    assert write("nurse_a", inbox_id=999_999).status_code == 404
    assert _count(world) == before and recorder.sent == []
    assert {outcome for outcome, _ in _audit(world)} <= {"denied"}
    # The pages refuse the same way.
    assert login(client, "secretary_a").status_code == 303
    assert client.get(f"/boites/{inbox}/ecrire-externe").status_code == 403
    client.cookies.clear()
    assert login(client, "nurse_a").status_code == 303
    assert client.get(f"/boites/{shared}/ecrire-externe").status_code == 400
    assert client.get(f"/boites/{inbox}/ecrire-externe/{pros['no_address']}").status_code == 400
    page = client.get(f"/boites/{inbox}/ecrire-externe", params={"q": "x" * 300})
    assert page.status_code == 200 and "trop longue" in page.text
