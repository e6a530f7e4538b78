"""Nothing lost, nothing pointing to nothing: a process killed between the file and its row,
``virage documents verifier``, the backup and restore of the files, the FHIR round trip."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import textwrap
import time

import pytest
from fhir.resources.R4B import get_fhir_model_class

from tests.accounts.sql import query
from tests.documents.conftest import PDF, bearer, jpeg, upload
from virage.accounts import lookups
from virage.app import prepare_database
from virage.cli import main
from virage.db import transaction
from virage.documents import cli as documents_cli
from virage.documents.blobs import DiskBlobStore, sha256_hex
from virage.dossier import fhir_import
from virage.plugins import PluginHost
from virage.sdk.accounts import access_for

KILLED = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from virage.app import prepare_database
    from virage.documents import service, storage
    from virage.plugins import PluginHost
    from virage.sdk.accounts import access_for
    from virage.settings import Settings

    settings = Settings(db_path=Path(sys.argv[1]), plugins=())
    plugins = PluginHost(settings)
    db = prepare_database(settings, plugins)
    access = access_for(db, plugins, "nurse_a", route="test")

    def killed(*args, **kwargs):
        os._exit(9)  # the power goes out: the file is on disk, the row never written

    storage.add = killed
    service.add(access, int(sys.argv[2]), data=sys.stdin.buffer.read(), filename="c.pdf",
                kind="contract")
    """
)


def test_a_process_killed_between_the_file_and_the_row(client, world):
    p1 = world.persons["p1"]
    done = subprocess.run(
        [sys.executable, "-c", KILLED, str(world.settings.db_path), str(p1)],
        input=PDF,
        capture_output=True,
        timeout=120,
        env=os.environ.copy(),
    )
    assert done.returncode == 9, done.stderr.decode()[-2000:]
    assert query(world.settings.db_path, "SELECT count(*) FROM person_documents") == [(0,)]
    store = DiskBlobStore(world.settings.documents_root)
    sha = sha256_hex(PDF)
    assert store.get(sha) == PDF  # the whole file, an orphan
    assert not list(store.root.rglob(".tmp-*"))
    plugins = PluginHost(world.settings)
    db = prepare_database(world.settings, plugins)
    # an hour later, it is an orphan (younger, its upload might still be writing its row)
    assert documents_cli.check(db, store, plugins) == {"missing": [], "orphans": []}
    _age(store, sha)
    assert documents_cli.check(db, store, plugins) == {"missing": [], "orphans": [sha]}
    # the person tries again: it works, the same file is used (and young again)
    again = upload(client, world, "nurse_a")
    assert again.status_code == 201 and again.json()["sha256"] == sha
    assert time.time() - store.path(sha).stat().st_mtime < documents_cli.GRACE_SECONDS
    assert documents_cli.check(db, store, plugins) == {"missing": [], "orphans": []}
    db.close()


def _age(store: DiskBlobStore, sha: str, hours: float = 2) -> None:
    then = time.time() - hours * 3600
    os.utime(store.path(sha), (then, then))


def test_the_check_lists_missing_files_and_cleans_orphans(client, world, monkeypatch, capsys):
    doc = upload(client, world, "nurse_a").json()
    store = DiskBlobStore(world.settings.documents_root)
    orphan = store.put(b"%PDF-1.4 sans ligne")
    young = store.put(b"%PDF-1.4 en cours d'envoi")  # an upload whose row is not written yet
    library = _library_file(world)  # the library keeps its files in the same store
    for sha in (doc["sha256"], orphan, library):
        _age(store, sha)
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    assert main(["documents", "verifier"]) == 0
    out = capsys.readouterr().out
    assert f"orphelin : {orphan}" in out and "0 fichier manquant, 1 fichier orphelin." in out
    assert main(["documents", "verifier", "--nettoyer"]) == 0
    assert "1 fichier orphelin supprimé." in capsys.readouterr().out
    assert not store.exists(orphan)
    assert store.exists(doc["sha256"]) and store.exists(library) and store.exists(young)
    store.delete(doc["sha256"])
    store.delete(library)
    assert main(["documents", "verifier"]) == 1
    out = capsys.readouterr().out
    assert f"manquant : {doc['sha256']}" in out and f"manquant : {library}" in out
    assert "2 fichiers manquants, 0 fichier orphelin." in out


def _library_file(world) -> str:
    """A procedure filed in structure a's library (its file in the documents' store)."""
    from virage.library import storage as library_storage
    from virage.library.pdf import simple_pdf

    settings = world.settings
    db = prepare_database(settings, PluginHost(settings))
    try:
        with transaction(db):
            data = simple_pdf([["Procédure de nuit (test)"]])
            sha = DiskBlobStore(settings.documents_root).put(data)
            structure = world.structures["a"]
            folder = library_storage.add_folder(db, structure, None, "Procédures", 1, "test")
            document = library_storage.add_document(db, structure, folder, "Procédure", "procedure")
            values = {"filename": "p.pdf", "media_type": "application/pdf", "size": len(data),
                      "sha256": sha, "text": ""}  # fmt: skip
            library_storage.add_version(db, document, values, None, "test", "procedure")
            return sha
    finally:
        db.close()


@pytest.mark.skipif(bool(os.environ.get("VIRAGE_TEST_POSTGRES")), reason="SQLite backup")
def test_backup_and_restore_carry_the_files(client, world, tmp_path, monkeypatch, capsys):
    doc = upload(client, world, "nurse_a", data=jpeg(), kind="wound_photo").json()
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    target = tmp_path / "sauvegarde.db"
    assert main(["db", "backup", str(target)]) == 0
    assert "1 fichier de documents" in capsys.readouterr().out
    kept = target.with_name("sauvegarde.db.documents")
    assert (kept / doc["sha256"][:2] / doc["sha256"][2:4] / doc["sha256"]).is_file()
    # a new machine: the database and the documents restored
    fresh = tmp_path / "neuve" / "virage.db"
    fresh.parent.mkdir()
    monkeypatch.setenv("VIRAGE_DB", str(fresh))
    assert main(["db", "restore", str(target)]) == 0
    restored = DiskBlobStore(fresh.parent / "documents")
    assert sha256_hex(restored.get(doc["sha256"])) == doc["sha256"]


def test_fhir_document_reference_round_trip(client, world, tmp_path):
    p1 = world.persons["p1"]
    contract = upload(client, world, "secretary_a", title="Contrat 2027").json()
    photo = upload(
        client, world, "nurse_a", data=jpeg(), kind="wound_photo", series="Plaie talon"
    ).json()
    bundle = client.get(f"/api/v1/persons/{p1}/dossier/fhir", headers=bearer(world, "coord_a"))
    assert bundle.status_code == 200
    refs = [
        e["resource"]
        for e in bundle.json()["entry"]
        if e["resource"]["resourceType"] == "DocumentReference"
    ]
    assert len(refs) == 2
    for ref in refs:
        get_fhir_model_class("DocumentReference").model_validate(ref)
    get_fhir_model_class("Bundle").model_validate(bundle.json())
    by_kind = {r["type"]["coding"][0]["code"]: r for r in refs}
    data = base64.b64decode(by_kind["contract"]["content"][0]["attachment"]["data"])
    assert sha256_hex(data) == contract["sha256"]
    # into another instance
    settings = world.settings.with_(db_path=tmp_path / "autre.db")
    plugins = PluginHost(settings)
    db = prepare_database(settings, plugins)
    structure = lookups.create_structure(db, "SSIAD d'accueil", "SSIAD")
    from virage.accounts import service

    service.create_user(
        db,
        username="coord_c",
        display_name="coord c",
        password="mot-de-passe-de-test",
        structure_id=structure,
        role="coordinator",
    )
    db.commit()
    (new_id,) = fhir_import.import_bundle(
        access_for(db, plugins, "coord_c"), structure, bundle.json()
    )
    db.commit()
    rows = query(
        settings.db_path,
        "SELECT kind, title, sha256, series, source FROM person_documents WHERE person_id = ?"
        " ORDER BY kind",
        [new_id],
    )
    assert rows == [
        ("contract", "Contrat 2027", contract["sha256"], "", "import"),
        ("wound_photo", "Photo de plaie (suivi)", photo["sha256"], "Plaie talon", "import"),
    ]
    assert DiskBlobStore(settings.documents_root).exists(photo["sha256"])
    db.close()
