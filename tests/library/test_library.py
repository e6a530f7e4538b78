"""The structure's library: folders, versions, search, who reads and who writes, the audit."""

from __future__ import annotations

from tests.accounts.sql import query as _query
from tests.library.conftest import (
    NIGHT,
    NIGHT_V2,
    add_document,
    add_folder,
    bearer,
    created_id,
    form_post,
    login,
)
from virage.library import text
from virage.library.pdf import simple_pdf


def query(world, sql):
    return _query(world.settings.db_path, sql)


def test_the_secretariat_files_a_procedure_and_a_nurse_reads_and_finds_it(client, world):
    login(client, "secretary_a")
    folder = created_id(add_folder(client, world, "Procédures"))
    r = add_document(client, world, folder_id=folder)
    assert r.status_code == 303, r.text
    doc = created_id(r)
    page = client.get(r.headers["location"]).text
    assert "Version en vigueur : version 1" in page and "Document ajouté." in page
    # a new version: the current one is obvious, the older one kept and listed
    r = form_post(
        client,
        f"/bibliotheque/documents/{doc}/versions",
        {"note": "Nouveau numéro d'astreinte"},
        {"file": ("nuit-v2.pdf", NIGHT_V2, "application/pdf")},
    )
    assert r.status_code == 303
    page = client.get(f"/bibliotheque/documents/{doc}").text
    assert "Version en vigueur : version 2" in page and "Versions précédentes" in page
    assert "Nouveau numéro d&#39;astreinte" in page and "secretary a" in page
    client.cookies.clear()

    login(client, "nurse_a")
    sid = world.structures["a"]
    assert "Procédures" in client.get(f"/bibliotheque/structures/{sid}").text
    found = client.get(
        f"/bibliotheque/structures/{sid}/recherche", params={"q": "procedure MISE a jour"}
    )
    assert "1 document trouvé" in found.text and f"/bibliotheque/documents/{doc}" in found.text
    # the old text is no longer searched: only the current version's
    gone = client.get(f"/bibliotheque/structures/{sid}/recherche", params={"q": "coordination"})
    assert "0 document trouvé" in gone.text
    versions = query(world, "SELECT id, number FROM library_versions ORDER BY number")
    old = client.get(f"/bibliotheque/versions/{versions[0][0]}/fichier")
    assert old.status_code == 200 and old.content == NIGHT
    assert client.get(f"/bibliotheque/versions/{versions[1][0]}/fichier").content == NIGHT_V2
    # a nurse reads but does not write
    assert "Ajouter un document ici" not in client.get(f"/bibliotheque/dossiers/{folder}").text
    assert add_document(client, world).status_code == 403
    assert query(world, "SELECT count(*) FROM library_documents")[0][0] == 1


def test_another_structure_sees_nothing(client, world):
    login(client, "secretary_a")
    doc = created_id(add_document(client, world))
    folder = created_id(add_folder(client, world, "Formulaires"))
    version = query(world, "SELECT id FROM library_versions")[0][0]
    client.cookies.clear()
    login(client, "nurse_b")
    for url in (
        f"/bibliotheque/documents/{doc}",
        f"/bibliotheque/dossiers/{folder}",
        f"/bibliotheque/versions/{version}/fichier",
        f"/bibliotheque/structures/{world.structures['a']}",
        f"/bibliotheque/structures/{world.structures['a']}/recherche?q=nuit",
    ):
        assert client.get(url).status_code == 404, url
    headers = bearer(world, "coord_b")
    assert client.get(f"/api/bibliotheque/documents/{doc}", headers=headers).status_code == 404
    r = client.patch(f"/api/bibliotheque/documents/{doc}", json={"takeaway": True}, headers=headers)
    assert r.status_code == 404
    assert query(world, "SELECT takeaway FROM library_documents")[0][0] == 0


def test_folders_nest_three_deep_and_bad_input_is_refused_in_french(client, world):
    login(client, "coord_a")
    one = created_id(add_folder(client, world, "Soins"))
    two = created_id(add_folder(client, world, "Nuit", one))
    three = created_id(add_folder(client, world, "Astreinte", two))
    r = add_folder(client, world, "Trop profond", three)
    assert r.status_code == 400 and "3 niveaux au plus" in r.text
    assert "pas de sous-dossier ici" in client.get(f"/bibliotheque/dossiers/{three}").text
    assert add_folder(client, world, "   ").status_code == 400
    r = add_document(client, world, title="x" * 300)
    assert r.status_code == 400 and "200 caractères au plus" in r.text
    # active content is refused by the intake, nothing is stored
    bad = NIGHT.replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (x) >>"
    )
    r = add_document(client, world, pdf=bad)
    assert 400 <= r.status_code < 500
    r = add_document(client, world, pdf=b"<html><script>alert(1)</script></html>")
    assert 400 <= r.status_code < 500
    assert query(world, "SELECT count(*) FROM library_documents")[0][0] == 0
    assert query(world, "SELECT count(*) FROM library_folders")[0][0] == 3


def test_the_api_reads_and_marks_a_document_to_take_away(client, world):
    login(client, "secretary_a")
    doc = created_id(add_document(client, world))
    client.cookies.clear()
    sid = world.structures["a"]
    nurse = bearer(world, "nurse_a")
    top = client.get(f"/api/bibliotheque/structures/{sid}", headers=nurse).json()
    assert [d["title"] for d in top["documents"]] == ["Procédure de nuit"]
    found = client.get(
        f"/api/bibliotheque/structures/{sid}/recherche", params={"q": "astreinte"}, headers=nurse
    ).json()
    assert [d["id"] for d in found] == [doc]
    assert (
        client.patch(
            f"/api/bibliotheque/documents/{doc}", json={"takeaway": True}, headers=nurse
        ).status_code
        == 403
    )
    secretary = bearer(world, "secretary_a")
    r = client.patch(
        f"/api/bibliotheque/documents/{doc}", json={"takeaway": None}, headers=secretary
    )
    assert r.status_code == 400 and "ne peut pas être vide" in r.text
    r = client.patch(
        f"/api/bibliotheque/documents/{doc}", json={"takeaway": True}, headers=secretary
    )
    assert r.status_code == 200 and r.json()["takeaway"] is True
    assert r.json()["versions"][0]["number"] == 1
    r = client.post(
        f"/api/bibliotheque/structures/{sid}/dossiers",
        json={"name": "Contacts"},
        headers=secretary,
    )
    assert r.status_code == 201 and r.json()["folder"]["name"] == "Contacts"
    actions = query(
        world, "SELECT action, outcome FROM audit_log WHERE action LIKE 'library.%' ORDER BY id"
    )
    assert actions == [
        ("library.document.added", "allowed"),
        ("library.document.updated", "denied"),  # the nurse's try
        ("library.document.updated", "allowed"),
        ("library.folder.added", "allowed"),
    ]


def test_take_away_documents_are_listed_for_the_offline_round(client, world):
    login(client, "secretary_a")
    doc = created_id(add_document(client, world))
    form_post(client, f"/bibliotheque/documents/{doc}/a-emporter", {"value": "1"})
    client.cookies.clear()
    login(client, "nurse_a")
    page = client.get("/bibliotheque/a-emporter").text
    assert f'href="/bibliotheque/documents/{doc}"' in page
    day = client.get("/agenda/ma-journee").text
    assert 'href="/bibliotheque/a-emporter"' in day
    # offline.js keeps these pages with the round (its list of pages kept)
    from virage.web.offline import STATIC

    script = (STATIC / "offline.js").read_text()
    assert r"/^\/bibliotheque\/a-emporter$/" in script
    assert r"/^\/bibliotheque\/documents\/\d+$/" in script
    # the document's page carries its text, readable without the file
    assert "Appeler l&#39;astreinte" in client.get(f"/bibliotheque/documents/{doc}").text


def test_text_is_normalised_and_bounded():
    assert text.normalise("Procédure  d'ŒDÈME") == "procedure d oedeme"
    assert text.terms("  Procédure,  NUIT " + "x" * 500) == ["procedure", "nuit", "x" * 60]
    many = simple_pdf([[f"page {i}"] for i in range(text.MAX_PAGES + 5)])
    extracted = text.pdf_text(many)
    assert "page 49" in extracted and "page 50" not in extracted
    assert text.pdf_text(b"%PDF-1.4 broken") == ""


def test_the_api_files_a_document_and_a_new_version_and_refuses_what_it_must(client, world):
    sid = world.structures["a"]
    secretary, nurse = bearer(world, "secretary_a"), bearer(world, "nurse_a")
    url = f"/api/bibliotheque/structures/{sid}/documents"
    pdf = {"file": ("nuit.pdf", NIGHT, "application/pdf")}
    r = client.post(
        url, data={"title": "Procédure de nuit", "kind": "procedure"}, files=pdf, headers=secretary
    )
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["version_number"] == 1 and doc["media_type"] == "application/pdf"
    r = client.post(
        f"/api/bibliotheque/documents/{doc['id']}/versions",
        data={"note": "Nouveau numéro"},
        files={"file": ("nuit-v2.pdf", NIGHT_V2, "application/pdf")},
        headers=secretary,
    )
    assert r.status_code == 201, r.text
    assert [v["number"] for v in r.json()["versions"]] == [2, 1]
    # a nurse reads but does not file; no file, a disguised script, an unknown folder: 4xx
    assert client.post(url, data={"title": "x"}, files=pdf, headers=nurse).status_code == 403
    r = client.post(url, data={"title": "Sans fichier"}, headers=secretary)
    assert r.status_code == 400 and "fichier" in r.json()["detail"].lower()
    script = {"file": ("note.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")}
    r = client.post(url, data={"title": "Piège"}, files=script, headers=secretary)
    assert r.status_code in (400, 415), r.text
    r = client.post(
        url, data={"title": "Perdu", "folder_id": "999999"}, files=pdf, headers=secretary
    )
    assert r.status_code in (400, 404), r.text
    titles = [
        d["title"]
        for d in client.get(f"/api/bibliotheque/structures/{sid}", headers=nurse).json()[
            "documents"
        ]
    ]
    assert titles == ["Procédure de nuit"]
    actions = {row[0] for row in query(world, "SELECT action FROM audit_log")}
    assert {"library.document.added", "library.version.added"} <= actions
