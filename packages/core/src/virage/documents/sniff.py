"""The type of a file from its first bytes (never its name), and the refusal of active content.

Hand-written magic numbers (no libmagic): PDF, JPEG, PNG, WebP, HEIC, Office Open XML and
OpenDocument files. Markup (SVG, HTML, XML) and scripts are refused as active content; PDFs with
JavaScript, launch actions, embedded files or automatic actions, and office files with macros
are refused too. Every loop over the file is bounded.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from virage.errors import InvalidInput, UnsupportedMediaType

#: media type → (extension, label in French)
TYPES: dict[str, tuple[str, str]] = {
    "application/pdf": ("pdf", "PDF"),
    "image/jpeg": ("jpg", "photo JPEG"),
    "image/png": ("png", "image PNG"),
    "image/webp": ("webp", "image WebP"),
    "image/heic": ("heic", "photo HEIC"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "docx",
        "document Word",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx", "tableur Excel"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "pptx",
        "présentation PowerPoint",
    ),
    "application/vnd.oasis.opendocument.text": ("odt", "document OpenDocument"),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods", "tableur OpenDocument"),
}

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic"})
DOCUMENT_TYPES = frozenset(TYPES)

ACTIVE = (
    "Ce fichier contient du contenu actif (page web, SVG, XML ou script) : il est refusé pour "
    "la sécurité de tous. Envoyez plutôt un PDF ou une photo."
)
_MARKUP = re.compile(
    rb"^\s*(<\?xml|<svg|<!doctype\s+html|<html|<script|<head|<body|<iframe|<\?php|<!--|<!entity)",
    re.I,
)
_SCRIPT = re.compile(rb"<script|<svg|javascript:|<iframe|<object|<embed", re.I)

MAX_ZIP_MEMBERS = 2000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_PDF_STREAMS = 5000
MAX_PDF_INFLATED = 64 * 1024 * 1024

_PDF_DANGER = {
    b"/JavaScript": "du JavaScript",
    b"/JS": "du JavaScript",
    b"/Launch": "une commande qui lance un programme",
    b"/EmbeddedFile": "un fichier caché à l'intérieur",
    b"/EmbeddedFiles": "un fichier caché à l'intérieur",
    b"/AA": "des actions automatiques",
    b"/RichMedia": "un média actif",
    b"/XFA": "un formulaire actif (XFA)",
    b"/SubmitForm": "un envoi de formulaire vers l'extérieur",
    b"/ImportData": "un import de données",
}
_PDF_NAME = re.compile(rb"/[A-Za-z0-9#]+")
_PDF_STREAM = re.compile(rb"stream\r?\n")


def detect(data: bytes) -> str | None:
    """The media type of ``data`` from its content, ``None`` when not recognised.

    Raises :class:`InvalidInput` for active content (markup, scripts) and old Office formats.
    """
    head = data[:64]
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in (
        b"heic",
        b"heix",
        b"mif1",
        b"msf1",
        b"hevc",
        b"heim",
    ):
        return "image/heic"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedMediaType(
            "Les anciens formats Office (.doc, .xls) peuvent cacher des macros et ne sont pas "
            "acceptés : enregistrez le fichier en PDF (ou en .docx, .xlsx) puis envoyez-le."
        )
    text = data[:4096].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if _MARKUP.match(text) or _SCRIPT.search(data[:65536]):
        raise UnsupportedMediaType(ACTIVE)
    return None


def _zip_type(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InvalidInput("Ce fichier compressé est abîmé : il ne peut pas être lu.") from None
    if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_ZIP_UNCOMPRESSED:
        raise UnsupportedMediaType(
            "Ce fichier décompressé serait démesuré (trop de parties ou trop volumineux) : "
            "il est refusé. Enregistrez-le en PDF puis envoyez-le."
        )
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
            raise UnsupportedMediaType(
                "Ce fichier est compressé de façon anormale (bombe de décompression) : il est "
                "refusé."
            )
    names = {i.filename.lower() for i in infos}
    if any(n.endswith("vbaproject.bin") or n.startswith("basic/") for n in names) or any(
        "macrosheets/" in n or "activex/" in n for n in names
    ):
        raise UnsupportedMediaType(
            "Ce document contient des macros (programmes) : il est refusé. Enregistrez-le sans "
            "macros (.docx, .xlsx) ou en PDF puis envoyez-le."
        )
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if "ppt/presentation.xml" in names:
        return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    if "mimetype" in names:
        info = archive.getinfo(next(i.filename for i in infos if i.filename.lower() == "mimetype"))
        if info.file_size <= 200:
            kind = archive.read(info).decode("ascii", "replace").strip()
            if kind in TYPES:
                return kind
    return None


def _pdf_names(chunk: bytes) -> set[bytes]:
    out = set()
    for raw in _PDF_NAME.findall(chunk):
        if b"#" in raw:
            raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
        out.add(raw)
    return out


def check_pdf(data: bytes) -> None:
    """Refuse a PDF with active content, in its plain parts and in its compressed streams."""
    found = _pdf_names(data)
    inflated = 0
    for count, match in enumerate(_PDF_STREAM.finditer(data)):
        if count >= MAX_PDF_STREAMS:
            raise UnsupportedMediaType(
                "Ce PDF est construit de façon anormale (trop de parties) : il est refusé. "
                "Imprimez-le en PDF à nouveau puis envoyez-le."
            )
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        try:
            inflater = zlib.decompressobj()
            chunk = inflater.decompress(data[start:end], MAX_PDF_INFLATED - inflated)
        except zlib.error:
            continue
        inflated += len(chunk)
        found |= _pdf_names(chunk)
        if inflated >= MAX_PDF_INFLATED:
            raise UnsupportedMediaType(
                "Ce PDF décompressé serait démesuré : il est refusé. Imprimez-le en PDF à nouveau "
                "puis envoyez-le."
            )
    dangers = sorted({label for name, label in _PDF_DANGER.items() if name in found})
    if dangers:
        raise UnsupportedMediaType(
            f"Ce PDF contient {', '.join(dangers)} : il est refusé pour la sécurité de tous. "
            "Imprimez-le en PDF (« Imprimer » puis « Enregistrer au format PDF ») et envoyez "
            "cette copie."
        )
