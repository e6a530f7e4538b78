"""The demo territory's documents: in the file of the first person Paul follows, a contract and a
consent the secretariat reads, a prescription and a wound-photo series for the care team only."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.conftest import plugin_allow_list
from tests.web.conftest import demo, demo_app, demo_db, sign_in  # noqa: F401
from virage.accounts import lookups
from virage.db import connect
from virage.documents.blobs import blob_store
from virage.plugins import PluginHost
from virage.settings import Settings

ADMIN = ("Contrat de prise en charge signé", "Accord pour le partage avec le médecin traitant")
CARE = ("Prescription de soins infirmiers", "Talon droit, semaine 1", "Talon droit, semaine 3")


def _pauls_person(settings) -> int:
    db = connect(settings.database)
    try:
        paul = lookups.user_by_username(db, "paul.infirmier")
        return lookups.care_teams_of_user(db, paul["id"])[0]["id"]
    finally:
        db.close()


def test_the_demo_file_has_documents_for_each_reader(demo, demo_app):  # noqa: F811
    person = _pauls_person(demo.settings)
    with TestClient(demo_app) as client:
        sign_in(client, "paul.infirmier")
        page = client.get(f"/personnes/{person}/documents")
        assert page.status_code == 200
        for title in ADMIN + CARE:
            assert title in page.text.replace("&#39;", "'"), title
        assert page.text.count("Talon droit, semaine") == 3
        client.cookies.clear()
        sign_in(client, "lea.secretariat")
        page = client.get(f"/personnes/{person}/documents")
        assert page.status_code == 200
        for title in ADMIN:
            assert title in page.text.replace("&#39;", "'"), title
        for title in CARE:
            assert title not in page.text, title


def test_the_demo_documents_are_stored_in_the_demo_folder(demo_db):  # noqa: F811
    settings = Settings(db_path=demo_db, plugins=plugin_allow_list())
    db = connect(settings.database)
    try:
        paul = lookups.user_by_username(db, "paul.infirmier")
        person = lookups.care_teams_of_user(db, paul["id"])[0]["id"]
        rows = db.fetch_all(
            "SELECT kind, sha256, media_type FROM person_documents WHERE person_id = ?", [person]
        )
    finally:
        db.close()
    assert sorted(r["kind"] for r in rows) == sorted(
        ["contract", "consent", "prescription", "wound_photo", "wound_photo", "wound_photo"]
    )
    store = blob_store(settings, PluginHost(settings))
    for row in rows:
        data = store.get(row["sha256"])
        if row["media_type"] == "application/pdf":
            assert data.startswith(b"%PDF-")
        else:  # a drawn picture: a JPEG without any metadata segment
            assert row["media_type"] == "image/jpeg" and data.startswith(b"\xff\xd8")
            assert b"Exif" not in data and b"GPS" not in data
