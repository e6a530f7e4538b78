"""Attachments: a document of the person's file, joined by its number; its title only for those
who may read the document (a partner structure sees « réservée »), never one of another person."""

from __future__ import annotations

from tests.documents.conftest import upload
from tests.messaging.conftest import bearer, record_consent, start


def _doc(client, world, title="Compte rendu de cardiologie", person="p1", who="nurse_a"):
    r = upload(client, world, who, person, kind="report", title=title)
    assert r.status_code in (200, 201), r.text
    return r.json()["id"]


def test_a_document_travels_with_a_message_to_those_who_may_read_it(client, world):
    record_consent(client, world)
    tid = start(client, world, "nurse_a", ["care_a", "coord_b"]).json()["id"]
    doc = _doc(client, world)
    r = client.post(
        f"/api/v1/messages/{tid}/posts",
        json={"body": "Le compte rendu est joint.", "document_id": doc},
        headers=bearer(world, "nurse_a"),
    )
    assert r.status_code == 201, r.text
    mine = client.get(f"/api/v1/messages/{tid}", headers=bearer(world, "care_a")).json()
    [att] = mine["posts"][-1]["attachments"]
    assert att == {"document_id": doc, "title": "Compte rendu de cardiologie", "note": None}
    theirs = client.get(f"/api/v1/messages/{tid}", headers=bearer(world, "coord_b")).text
    assert "cardiologie" not in theirs and "réservée" in theirs


def test_no_document_of_another_person_nor_one_unreadable(client, world):
    tid = start(client, world, "nurse_a", ["care_a"]).json()["id"]
    other = _doc(client, world, person="p2", who="nurse_b")
    r = client.post(
        f"/api/v1/messages/{tid}/posts",
        json={"body": "Tiens.", "document_id": other},
        headers=bearer(world, "nurse_a"),
    )
    assert r.status_code == 404
    r = client.post(
        f"/api/v1/messages/{tid}/posts",
        json={"body": "Tiens.", "document_id": 999999},
        headers=bearer(world, "nurse_a"),
    )
    assert r.status_code == 404
    assert (
        len(client.get(f"/api/v1/messages/{tid}", headers=bearer(world, "nurse_a")).json()["posts"])
        == 1
    )


def test_the_attach_page_lists_the_documents_and_sends_without_javascript(client, world):
    from tests.messaging.conftest import csrf_from, login

    tid = start(client, world, "nurse_a", ["care_a"]).json()["id"]
    doc = _doc(client, world)
    assert login(client, "care_a").status_code == 303
    page = client.get(f"/messages/{tid}/joindre")
    assert page.status_code == 200 and "Compte rendu de cardiologie" in page.text
    r = client.post(
        f"/messages/{tid}",
        data={"body": "Vu.", "document_id": str(doc), "_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    thread = client.get(f"/messages/{tid}")
    assert f'href="/personnes/{world.persons["p1"]}/documents/{doc}"' in thread.text
