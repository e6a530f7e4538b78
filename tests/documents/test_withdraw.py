"""Withdrawing a document put in the wrong file (or twice, or unreadable): unlike archiving, it
leaves the person's file, her FHIR export and the head office's inbox; only those who may write
that kind of document may do it, for a reason from a fixed list, and the journal keeps it."""

from __future__ import annotations

from tests.accounts.sql import query
from tests.documents.conftest import bearer, csrf_from, jpeg, login, upload


def _withdraw(client, world, name, person_id, doc_id, motif="autre_personne"):
    return client.post(
        f"/api/personnes/{person_id}/documents/{doc_id}/retrait",
        json={"motif": motif},
        headers=bearer(world, name),
    )


def test_a_wound_photo_in_the_wrong_file_leaves_it(client, world):
    p1 = world.persons["p1"]
    photo = upload(client, world, "nurse_a", data=jpeg(), filename="p.jpg", kind="wound_photo")
    assert photo.status_code == 201, photo.text
    doc = photo.json()["id"]
    base = f"/api/personnes/{p1}/documents"
    # who may not: the secretariat (care kind), a social worker, another structure, anonymous
    assert _withdraw(client, world, "secretary_a", p1, doc).status_code == 403
    assert _withdraw(client, world, "social_a", p1, doc).status_code == 403
    assert _withdraw(client, world, "nurse_b", p1, doc).status_code == 404
    assert client.post(f"{base}/{doc}/retrait", json={"motif": "doublon"}).status_code == 401
    # a reason from the list, nothing else (no free text in the journal)
    bad = _withdraw(client, world, "care_a", p1, doc, motif="parce que")
    assert bad.status_code == 400
    assert query(world.settings.db_path, "SELECT count(*) FROM person_documents") == [(1,)]
    # the nurse of the team withdraws it
    done = _withdraw(client, world, "care_a", p1, doc)
    assert done.status_code == 204, done.text
    assert client.get(f"{base}/{doc}", headers=bearer(world, "nurse_a")).status_code == 404
    assert client.get(f"{base}/{doc}/fichier", headers=bearer(world, "nurse_a")).status_code == 404
    listed = client.get(base, headers=bearer(world, "nurse_a")).json()
    assert listed["documents"] == []
    bundle = client.get(f"/api/v1/persons/{p1}/dossier/fhir", headers=bearer(world, "coord_a"))
    assert bundle.status_code == 200 and "DocumentReference" not in bundle.text
    assert _withdraw(client, world, "care_a", p1, doc).status_code == 404  # already gone
    rows = query(
        world.settings.db_path,
        "SELECT action, outcome, details FROM audit_log WHERE action LIKE 'documents.care.withdraw'"
        " ORDER BY id",
    )
    # the secretariat's and the social worker's refusals, then the nurse's withdrawal with its
    # reason (the other structure's refusal is journaled too, as « documents.withdraw » on
    # PostgreSQL, whose row security hides the document from it, so that its kind is unknown)
    outcomes = [o for _, o, _ in rows]
    assert outcomes[:2] == ["denied", "denied"] and outcomes.count("allowed") == 1
    assert outcomes[-1] == "allowed" and "autre_personne" in rows[-1][2]


def test_a_sent_contract_leaves_the_head_office_inbox_too(client, world):
    p1 = world.persons["p1"]
    contract = upload(client, world, "secretary_a", kind="contract", title="Contrat").json()
    base = f"/api/personnes/{p1}/documents"
    sent = client.post(f"{base}/{contract['id']}/envoi-siege", headers=bearer(world, "care_a"))
    assert sent.status_code == 201
    # on the page, without JavaScript: the reasons are offered, one is required
    login(client, "secretary_a")
    page = client.get(f"/personnes/{p1}/documents")
    assert "Retirer ce document du dossier" in page.text and 'value="doublon"' in page.text
    none = client.post(
        f"/personnes/{p1}/documents/{contract['id']}/retirer",
        data={"_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert none.status_code == 400 and "pourquoi" in none.text
    done = client.post(
        f"/personnes/{p1}/documents/{contract['id']}/retirer",
        data={"motif": "doublon", "_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "Document retiré du dossier." in client.get(done.headers["location"]).text
    assert query(world.settings.db_path, "SELECT count(*) FROM document_inbox") == [(0,)]
    assert "Aucun document à classer" in client.get("/documents/a-classer").text
