"""The one door of every file received: type by content, size, active content, metadata, scan."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest
from PIL import Image

from tests.documents.conftest import PDF, jpeg, png
from virage.documents import intake
from virage.documents.blobs import DiskBlobStore, blob_store
from virage.documents.kinds import ALLOWED_TYPES
from virage.documents.scan import ScanVerdict
from virage.errors import InvalidInput, NotFound, PayloadTooLarge, UnsupportedMediaType
from virage.plugins import PluginHost, hookimpl
from virage.settings import Settings

MB = 1024 * 1024


def check(data, name="fichier", plugins=None, max_bytes=5 * MB):
    return intake.check_upload(
        data, name, allowed=ALLOWED_TYPES, max_bytes=max_bytes, plugins=plugins
    )


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Fabricant"
    exif[0x0110] = "Tablette du service"
    exif[0x0112] = 6  # rotated: the stored photo is upright
    exif[0x8825] = {1: "N", 2: (47.0, 14.0, 30.0), 3: "E", 4: (6.0, 1.0, 12.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "red").save(buffer, "JPEG", exif=exif, comment=b"chez Mme X")
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the GPS is there
    return data


def test_exif_and_gps_are_gone_and_the_photo_is_upright():
    checked = check(gps_jpeg(), "photo.jpg")
    image = Image.open(io.BytesIO(checked.data))
    assert checked.media_type == "image/jpeg" and image.size == (80, 120)
    assert not image.getexif() and not image.getexif().get_ifd(0x8825)
    assert b"Exif" not in checked.data and b"Tablette" not in checked.data
    assert b"chez Mme X" not in checked.data and "icc_profile" not in image.info
    assert checked.sha256 == intake.sha256_hex(checked.data) and checked.size == len(checked.data)


def test_type_by_content_never_by_name():
    assert check(png(), "notes.txt").media_type == "image/png"  # a .txt that is a PNG
    with pytest.raises(UnsupportedMediaType, match="contenu actif"):
        check(b"<!DOCTYPE html><html><body>x</body></html>", "facture.pdf")
    with pytest.raises(UnsupportedMediaType, match="pas d'un type accepté"):
        check(b"Juste du texte.", "lettre.pdf")
    assert check(PDF, "scan.jpg").extension == "pdf"


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        b'<?xml version="1.0"?><svg><script>alert(1)</script></svg>',
        b"\xef\xbb\xbf  <html><script>alert(1)</script>",
        b"GIF89a <script>alert(1)</script>",
    ],
)
def test_active_content_is_refused(data):
    with pytest.raises(UnsupportedMediaType, match="contenu actif"):
        check(data, "image.png")


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", "JavaScript"),
        (b"/OpenAction << /S /J#61vaScript /J#53 (x) >>", "JavaScript"),  # hex-escaped names
        (b"/AA << /O << /S /Launch /F (cmd.exe) >> >>", "lance un programme"),
        (b"/Names << /EmbeddedFiles 5 0 R >>", "fichier caché"),
    ],
)
def test_pdf_with_active_content_is_refused(body, said):
    with pytest.raises(UnsupportedMediaType, match=said):
        check(b"%PDF-1.7\n1 0 obj << " + body + b" >> endobj\n%%EOF", "ordonnance.pdf")


def test_javascript_hidden_in_a_compressed_stream_is_found():
    hidden = zlib.compress(b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>")
    pdf = b"%PDF-1.7\n4 0 obj << /Filter /FlateDecode >>\nstream\n" + hidden + b"\nendstream\n"
    with pytest.raises(UnsupportedMediaType, match="JavaScript"):
        check(pdf + b"endobj\n%%EOF", "compte-rendu.pdf")


def _office(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_office_documents_without_macros_only():
    docx = _office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert check(docx, "contrat.docx").extension == "docx"
    with pytest.raises(UnsupportedMediaType, match="macros"):
        check(_office({"word/document.xml": b"<x/>", "word/vbaProject.bin": b"\0" * 10}), "c.docx")
    bomb = _office({"word/document.xml": b"<x/>", "word/media/a.bin": b"\0" * 5_000_000})
    with pytest.raises(UnsupportedMediaType, match="anormale"):
        check(bomb, "bombe.docx")
    with pytest.raises(UnsupportedMediaType, match="anciens formats"):
        check(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "vieux.doc")


def test_empty_and_too_large():
    with pytest.raises(InvalidInput, match="vide"):
        check(b"")
    with pytest.raises(PayloadTooLarge, match=r"pèse 3 Mo : la limite est de 2 Mo"):
        check(PDF + b"0" * (3 * MB - len(PDF)), max_bytes=2 * MB)


def test_huge_images_are_refused_or_scaled_down():
    big = check(jpeg(size=(6000, 300)), "panorama.jpg")
    assert Image.open(io.BytesIO(big.data)).size == (4096, 205)
    with pytest.raises(UnsupportedMediaType, match="HEIC"):
        check(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 100, "IMG_0001.HEIC")


class Scanner:
    def __init__(self, verdict=None, error=None):
        self.verdict, self.error = verdict, error

    @hookimpl
    def scan_document(self, data, filename):
        if self.error:
            raise self.error
        return self.verdict


def _host(scanner) -> PluginHost:
    host = PluginHost(Settings(plugins=()))
    host.register(scanner, "scanner-de-test")
    return host


def test_the_scan_hook_fails_closed():
    assert intake.scanner_state(PluginHost(Settings(plugins=()))) == "none"
    ok = _host(Scanner(ScanVerdict(True, "Scanner 1.0")))
    assert check(PDF, plugins=ok).scanned_by == ("Scanner 1.0",)
    infected = _host(Scanner(ScanVerdict(False, "Scanner 1.0", "Eicar-Test-Signature")))
    with pytest.raises(
        UnsupportedMediaType, match=r"virus .*Eicar-Test-Signature.*pas été enregistré"
    ):
        check(PDF, plugins=infected)
    broken = _host(Scanner(error=OSError("socket fermée")))
    with pytest.raises(UnsupportedMediaType, match="n'a pas pu être faite"):
        check(PDF, plugins=broken)
    assert intake.scanner_state(broken) == "down"


def test_the_disk_store_writes_whole_files_named_by_their_hash(tmp_path):
    store = blob_store(Settings(db_path=tmp_path / "v.db", plugins=()), None)
    assert isinstance(store, DiskBlobStore) and store.root == tmp_path / "documents"
    sha = store.put(b"bonjour")
    assert store.put(b"bonjour") == sha and store.get(sha) == b"bonjour" and store.exists(sha)
    assert store.path(sha) == tmp_path / "documents" / sha[:2] / sha[2:4] / sha
    assert not list(store.path(sha).parent.glob(".tmp-*"))
    store.delete(sha)
    assert not store.exists(sha)
    with pytest.raises(NotFound):
        store.get("../../etc/passwd")


def test_a_plugin_may_give_the_store(tmp_path):
    class Elsewhere:
        @hookimpl
        def documents_blob_store(self, settings):
            return DiskBlobStore(tmp_path / "ailleurs")

    host = PluginHost(Settings(db_path=tmp_path / "v.db", plugins=()))
    host.register(Elsewhere(), "stockage-objet")
    assert blob_store(host.settings, host).root == tmp_path / "ailleurs"
