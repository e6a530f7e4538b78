"""EICAR sent through Virage's own upload routes, against the real clamd: a person's documents
(API) and the structure's library (page). Refused, nothing stored; a clean file goes in."""

from __future__ import annotations

from .conftest import bearer, csrf_from, eicar, login
from .test_scan import PDF


def _pdf_carrying(payload: bytes) -> bytes:
    return PDF.replace(b"%%EOF", b"%" + payload + b"\n%%EOF")


def _person_upload(client, world, data):
    return client.post(
        f"/api/personnes/{world.persons['p1']}/documents",
        files={"file": ("contrat.pdf", data, "application/pdf")},
        data={"kind": "contract"},
        headers=bearer(world, "secretary_a"),
    )


def test_eicar_is_refused_by_the_documents_api_and_a_clean_pdf_kept(clamav_env, client, world):
    refused = _person_upload(client, world, _pdf_carrying(eicar()))
    assert refused.status_code == 415, refused.text
    assert "virus" in refused.json()["detail"] and "Eicar-Test-Local" in refused.json()["detail"]
    kept = _person_upload(client, world, _pdf_carrying(b"rien"))
    assert kept.status_code == 201, kept.text


def test_eicar_is_refused_by_the_library_page(clamav_env, client, world):
    login(client, "secretary_a")
    token = csrf_from(client.get("/moi").text)
    r = client.post(
        f"/bibliotheque/structures/{world.structures['a']}/documents",
        data={"title": "Procédure", "kind": "procedure", "_csrf_token": token},
        files={"file": ("procedure.pdf", _pdf_carrying(eicar()), "application/pdf")},
        follow_redirects=False,
    )
    assert r.status_code == 415 and "virus" in r.text
    top = client.get(
        f"/api/bibliotheque/structures/{world.structures['a']}",
        headers=bearer(world, "secretary_a"),
    )
    assert top.json()["documents"] == []


def test_clamd_down_the_documents_api_refuses_with_the_message(
    clamav_env, client, world, monkeypatch
):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("VIRAGE_CLAMAV_PORT", str(port))
    r = _person_upload(client, world, _pdf_carrying(b"rien"))
    assert r.status_code == 503
    assert r.json()["detail"].startswith(
        "L'antivirus ne répond pas : le document n'est pas enregistré."
    )
