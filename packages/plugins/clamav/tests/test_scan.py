"""The plugin's hook against a real clamd, directly and through the intake of documents."""

from __future__ import annotations

import socket

import pytest
import virage_clamav
from virage_clamav import ScannerUnavailable, scan

from virage.sdk import PluginHost, Settings
from virage.sdk.documents import ScanVerdict, check_upload

from .conftest import SIGNATURE, eicar

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _pdf_carrying(payload: bytes) -> bytes:
    return PDF.replace(b"%%EOF", b"%" + payload + b"\n%%EOF")


def _host(tmp_path) -> PluginHost:
    host = PluginHost(Settings(db_path=tmp_path / "virage.db", plugins=("clamav",)))
    assert "clamav" in host.records, host.failures
    return host


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_without_settings_the_plugin_scans_nothing(monkeypatch):
    for name in ("VIRAGE_CLAMAV_SOCKET", "VIRAGE_CLAMAV_HOST"):
        monkeypatch.delenv(name, raising=False)
    assert scan(eicar()) is None
    assert "aucun clamd configuré" in virage_clamav.extra_plugin_info()["description"]


def test_eicar_is_refused_by_the_real_scanner(clamav_env):
    verdict = virage_clamav.scan_document(eicar(), "eicar.com")
    # the file's hash or its bytes: either signature of the local database names it
    assert verdict.clean is False and verdict.scanner == "ClamAV"
    assert verdict.signature in (f"{SIGNATURE}.UNOFFICIAL", f"{SIGNATURE}-Body.UNOFFICIAL")
    assert scan(b"Protocole de nuit") == ScanVerdict(clean=True, scanner="ClamAV", signature=None)
    assert "répond" in virage_clamav.extra_plugin_info()["description"]


def test_check_upload_refuses_a_pdf_carrying_eicar_and_keeps_a_clean_one(clamav_env, tmp_path):
    host = _host(tmp_path)
    with pytest.raises(Exception) as refused:
        check_upload(
            _pdf_carrying(eicar()), "contrat.pdf", allowed={"pdf"}, max_bytes=10**6, plugins=host
        )
    assert refused.value.status_code == 415
    assert (
        "virus" in refused.value.message and f"{SIGNATURE}-Body.UNOFFICIAL" in refused.value.message
    )
    checked = check_upload(
        _pdf_carrying(b"rien"), "fiche.pdf", allowed={"pdf"}, max_bytes=10**6, plugins=host
    )
    assert checked.media_type == "application/pdf" and checked.scanned_by == ("ClamAV",)


def test_clamd_down_refuses_the_upload_with_a_clear_message(clamav_env, monkeypatch, tmp_path):
    monkeypatch.setenv("VIRAGE_CLAMAV_PORT", str(_closed_port()))
    with pytest.raises(ScannerUnavailable) as direct:
        scan(b"Protocole de nuit")
    assert direct.value.status_code == 503
    assert direct.value.message.startswith(
        "L'antivirus ne répond pas : le document n'est pas enregistré."
    )
    host = _host(tmp_path)
    with pytest.raises(ScannerUnavailable) as refused:
        check_upload(
            _pdf_carrying(b"rien"), "fiche.pdf", allowed={"pdf"}, max_bytes=10**6, plugins=host
        )
    assert refused.value.status_code == 503
    assert "L'antivirus ne répond pas" in refused.value.message
    assert "127.0.0.1" not in refused.value.message  # no internals for the person


def test_an_oversized_document_is_refused_without_being_sent(clamav_env, monkeypatch):
    monkeypatch.setenv("VIRAGE_CLAMAV_MAX_BYTES", "1000")
    with pytest.raises(ScannerUnavailable, match="trop volumineux pour l'antivirus"):
        scan(b"x" * 1001)
    assert scan(b"x" * 1000).clean


def test_a_bad_setting_is_refused_in_french(monkeypatch):
    monkeypatch.setenv("VIRAGE_CLAMAV_HOST", "127.0.0.1")
    monkeypatch.setenv("VIRAGE_CLAMAV_TIMEOUT", "lent")
    with pytest.raises(ScannerUnavailable, match="VIRAGE_CLAMAV_TIMEOUT invalide"):
        scan(b"x")
