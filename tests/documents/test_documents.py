"""A person's documents through the API and the pages: who reads what, the files' headers, the
journal, « envoyer au siège » and the secretariat's inbox.

p1 (structure a) has nurse_a and care_a in her care team. The secretariat reads the
administrative documents, never the care ones; another structure does not even learn that the
person exists (404); anonymous visitors are sent to log in.
"""

from __future__ import annotations

import html
import io

from PIL import Image

from tests.accounts.sql import query
from tests.documents.conftest import PDF, bearer, csrf_from, jpeg, login, upload

ROLES = ["director_a", "coord_a", "nurse_a", "care_a", "secretary_a", "social_a", "nurse_b"]


def _statuses(client, world, path):
    return {n: client.get(path, headers=bearer(world, n)).status_code for n in ROLES}


def test_who_reads_administrative_and_care_documents(client, world):
    p1 = world.persons["p1"]
    contract = upload(client, world, "secretary_a")
    assert contract.status_code == 201, contract.text
    photo = upload(client, world, "nurse_a", data=jpeg(), filename="plaie.jpg", kind="wound_photo")
    assert photo.status_code == 201, photo.text
    base = f"/api/personnes/{p1}/documents"
    admin_file = f"{base}/{contract.json()['id']}/fichier"
    care_file = f"{base}/{photo.json()['id']}/fichier"
    in_team = {"director_a": 200, "coord_a": 200, "nurse_a": 200, "care_a": 200}
    assert _statuses(client, world, admin_file) == in_team | {
        "secretary_a": 200,
        "social_a": 403,
        "nurse_b": 404,
    }
    assert _statuses(client, world, care_file) == {
        "director_a": 403, "coord_a": 200, "nurse_a": 200, "care_a": 200,
        "secretary_a": 403, "social_a": 403, "nurse_b": 404,
    }  # fmt: skip
    listed = client.get(base, headers=bearer(world, "secretary_a")).json()
    assert [d["kind"] for d in listed["documents"]] == ["contract"]
    assert listed["care_included"] is False and listed["antivirus"] is False
    nurse = client.get(base, headers=bearer(world, "nurse_a")).json()
    assert {d["kind"] for d in nurse["documents"]} == {"contract", "wound_photo"}
    # the secretariat may not add a care document; guessed ids and other persons: 404
    assert upload(client, world, "secretary_a", kind="report").status_code == 403
    assert client.get(f"{base}/999999/fichier", headers=bearer(world, "nurse_a")).status_code == 404
    other = f"/api/personnes/{world.persons['p2']}/documents/{contract.json()['id']}/fichier"
    assert client.get(other, headers=bearer(world, "nurse_b")).status_code == 404
    assert client.get(admin_file).status_code == 401
    assert (
        client.get("/api/personnes/-5/documents", headers=bearer(world, "nurse_a")).status_code
        == 404
    )
    # every read is in the journal, refusals too
    rows = query(
        world.settings.db_path,
        "SELECT action, outcome FROM audit_log WHERE action LIKE 'documents.%' AND target = ?",
        [f"document:{photo.json()['id']}"],
    )
    assert ("documents.care.read", "allowed") in rows and ("documents.care.read", "denied") in rows


def test_the_file_is_served_as_stored_and_never_cached(client, world):
    p1 = world.persons["p1"]
    made = upload(client, world, "nurse_a", data=jpeg(), filename="x.txt", kind="wound_photo")
    doc = made.json()
    assert doc["media_type"] == "image/jpeg" and doc["source"] == "upload"
    login(client, "nurse_a")
    page = client.get(f"/personnes/{p1}/documents/{doc['id']}")
    assert page.status_code == 200
    assert page.headers["content-type"] == "image/jpeg"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["content-disposition"].startswith("inline;")
    Image.open(io.BytesIO(page.content)).verify()
    down = client.get(f"/personnes/{p1}/documents/{doc['id']}/telecharger")
    assert down.headers["content-disposition"].startswith("attachment;")


def test_refusals_say_what_to_do_and_store_nothing(client, world):
    for data, name, status, said in [
        (b"<svg onload=alert(1)>", "photo.jpg", 415, "contenu actif"),
        (b"<html><script>", "contrat.pdf", 415, "contenu actif"),
        (b"%PDF-1.4 /JS (x)", "a.pdf", 415, "JavaScript"),
        (b"", "vide.pdf", 400, "vide"),
    ]:
        response = upload(client, world, "nurse_a", data=data, filename=name)
        assert response.status_code == status, response.text
        assert said in response.json()["detail"]
    assert upload(client, world, "nurse_a", kind="inconnu").status_code == 400
    assert upload(client, world, "nurse_a", document_date="hier").status_code == 400
    assert query(world.settings.db_path, "SELECT count(*) FROM person_documents") == [(0,)]
    refused = query(
        world.settings.db_path,
        "SELECT count(*) FROM audit_log WHERE action = 'documents.refused' AND outcome = 'denied'",
    )
    assert refused == [(4,)]


def test_the_size_limit_says_it_in_megabytes(client, world, monkeypatch):
    from virage.documents import service

    monkeypatch.setattr(service, "max_bytes", lambda access: 1024 * 1024)
    big = PDF + b"0" * (2 * 1024 * 1024)
    response = upload(client, world, "nurse_a", data=big)
    assert response.status_code == 413
    assert "la limite est de 1 Mo" in response.json()["detail"]


def test_send_to_head_office_and_file_it(client, world):
    p1 = world.persons["p1"]
    contract = upload(client, world, "care_a", kind="other", title="Contrat signé").json()
    photo = upload(client, world, "nurse_a", data=jpeg(), kind="wound_photo").json()
    base = f"/api/personnes/{p1}/documents"
    sent = client.post(f"{base}/{contract['id']}/envoi-siege", headers=bearer(world, "care_a"))
    assert sent.status_code == 201, sent.text
    again = client.post(f"{base}/{contract['id']}/envoi-siege", headers=bearer(world, "care_a"))
    assert again.status_code == 409
    care = client.post(f"{base}/{photo['id']}/envoi-siege", headers=bearer(world, "nurse_a"))
    assert care.status_code == 403 and "jamais au siège" in care.json()["detail"]
    # the secretariat files it, on the pages
    login(client, "secretary_a")
    inbox = client.get("/documents/a-classer")
    assert inbox.status_code == 200 and "Contrat signé" in inbox.text
    item = sent.json()["id"]
    filed = client.post(
        f"/documents/a-classer/{item}",
        data={"kind": "contract", "title": "Contrat 2027", "_csrf_token": csrf_from(inbox.text)},
        follow_redirects=False,
    )
    assert filed.status_code == 303
    assert "Aucun document à classer" in client.get("/documents/a-classer").text
    assert "Contrat 2027" in client.get("/documents/a-classer?etat=classe").text
    meta = client.get(f"{base}/{contract['id']}", headers=bearer(world, "secretary_a")).json()
    assert meta["kind"] == "contract" and meta["title"] == "Contrat 2027"
    # a nurse has no inbox
    login(client, "nurse_a")
    assert client.get("/documents/a-classer").status_code == 403
    actions = {r[0] for r in query(world.settings.db_path, "SELECT action FROM audit_log")}
    assert {"documents.send", "documents.inbox.read", "documents.inbox.file"} <= actions


def test_the_page_uploads_without_javascript_and_archives(client, world):
    p1 = world.persons["p1"]
    login(client, "nurse_a")
    page = client.get(f"/personnes/{p1}/documents")
    assert page.status_code == 200
    assert "Aucun antivirus n'est configuré sur ce serveur" in html.unescape(page.text)
    assert 'capture="environment"' in page.text
    done = client.post(
        f"/personnes/{p1}/documents",
        data={
            "kind": "wound_photo",
            "series": "Plaie talon droit",
            "_csrf_token": csrf_from(page.text),
        },
        files={"file": ("IMG_1.jpg", jpeg(), "image/jpeg")},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    page = client.get(f"/personnes/{p1}/documents")
    assert "Plaie talon droit" in page.text and "1 photo" in page.text
    camera = client.get(f"/personnes/{p1}/documents/photo?serie=Plaie+talon+droit")
    assert camera.status_code == 200 and "camera-overlay" in camera.text
    assert "camera=(self)" in camera.headers.get("permissions-policy", "")
    (doc_id,) = query(world.settings.db_path, "SELECT id FROM person_documents")[0]
    archived = client.post(
        f"/personnes/{p1}/documents/{doc_id}/archiver",
        data={"_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert archived.status_code == 303
    assert client.get(f"/personnes/{p1}/documents/{doc_id}").status_code == 404
    # the secretariat sees the page, not the care part
    login(client, "secretary_a")
    page = client.get(f"/personnes/{p1}/documents")
    assert page.status_code == 200 and "Suivis en photos" not in page.text
    assert "Prescription" not in page.text
