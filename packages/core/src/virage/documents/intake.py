"""Safe intake of a file: type checked by content, size bounded, active content refused, images
re-encoded without their metadata, and the virus scan (hook ``scan_document``).

``check_upload`` is the one door every file received goes through (a person's documents, the
structure's library): it returns the bytes to store, never the ones received when they differ.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from virage.documents import images, sniff
from virage.documents.blobs import sha256_hex
from virage.documents.scan import ScanVerdict
from virage.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType, VirageError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.plugins import PluginHost

log = logging.getLogger("virage.documents")

IMAGE_TYPES = sniff.IMAGE_TYPES
DOCUMENT_TYPES = sniff.DOCUMENT_TYPES
NO_SCANNER = "Aucun antivirus n'est configuré sur ce serveur"


@dataclass(frozen=True)
class Checked:
    """A file accepted: the bytes to store (re-encoded for images) and what they are."""

    media_type: str
    extension: str
    data: bytes
    size: int
    sha256: str
    scanned_by: tuple[str, ...] = ()


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    text = f"{value:.1f}".replace(".", ",")
    return text.removesuffix(",0") + " Mo"


def _allowed_types(allowed: Iterable[str]) -> set[str]:
    """``allowed`` names media types (``image/png``) or extensions (``png``, ``.pdf``)."""
    out = set()
    by_ext = {ext: media for media, (ext, _) in sniff.TYPES.items()}
    by_ext["jpeg"] = "image/jpeg"
    for item in allowed:
        item = item.strip().lower().lstrip(".")
        out.add(item if "/" in item else by_ext.get(item, item))
    return out


def check_upload(
    data: bytes,
    filename: str,
    *,
    allowed: set[str],
    max_bytes: int,
    plugins: PluginHost | None = None,
) -> Checked:
    """Check a file received and return what to store; raise a French error otherwise.

    :param data: the bytes received.
    :param filename: the name the sender gave: ignored for the type, given to the scanners.
    :param allowed: media types (``application/pdf``) or extensions (``pdf``) accepted.
    :param max_bytes: the largest size accepted.
    :param plugins: the plugin host, for the virus scan (``None``: no scan).
    """
    if not data:
        raise InvalidInput("Le fichier est vide : choisissez un autre fichier.")
    if len(data) > max_bytes:
        raise PayloadTooLarge(
            f"Ce fichier pèse {_megabytes(len(data))} : la limite est de {_megabytes(max_bytes)}. "
            "Réduisez-le (photo moins grande, PDF compressé) ou découpez-le."
        )
    accepted = _allowed_types(allowed)
    media_type = sniff.detect(data)
    labels = sorted({sniff.TYPES[t][1] for t in accepted if t in sniff.TYPES})
    if media_type is None or media_type not in accepted:
        what = f" ({sniff.TYPES[media_type][1]})" if media_type in sniff.TYPES else ""
        raise UnsupportedMediaType(
            f"Le contenu de ce fichier{what} n'est pas d'un type accepté ici, quel que soit son "
            f"nom. Types acceptés : {', '.join(labels) or 'aucun'}."
        )
    if media_type == "application/pdf":
        sniff.check_pdf(data)
    if media_type in IMAGE_TYPES:
        data, media_type = images.reencode(data, media_type)
    scanned = scan(data, filename, plugins)
    return Checked(
        media_type=media_type,
        extension=sniff.TYPES[media_type][0],
        data=data,
        size=len(data),
        sha256=sha256_hex(data),
        scanned_by=scanned,
    )


#: plugin host id → (monotonic time, state): the scanners' state, asked at most once a minute.
_STATES: dict[int, tuple[float, str]] = {}
PROBE = b"Virage : verification de l'antivirus.\n"


def scanner_state(plugins: PluginHost | None) -> str:
    """``"none"`` (no scanner answers: the pages say so), ``"ok"`` or ``"down"`` (a scanner
    fails: every upload is refused). A small harmless text is scanned, at most once a minute."""
    if plugins is None or not plugins.pm.hook.scan_document.get_hookimpls():
        return "none"
    now = time.monotonic()
    cached = _STATES.get(id(plugins))
    if cached is not None and now - cached[0] < 60:
        return cached[1]
    try:
        state = "ok" if scan(PROBE, "verification.txt", plugins) else "none"
    except VirageError:
        state = "down"
    _STATES[id(plugins)] = (now, state)
    return state


def scanners(plugins: PluginHost | None) -> int:
    """How many scanners answer (0: the pages say no antivirus is configured)."""
    return 0 if scanner_state(plugins) == "none" else 1


def scan(data: bytes, filename: str, plugins: PluginHost | None) -> tuple[str, ...]:
    """Run every scanner, fail closed; return the names of the scanners that said clean."""
    if plugins is None:
        return ()
    names = []
    for impl in plugins.pm.hook.scan_document.get_hookimpls():
        args = {"data": data, "filename": filename}
        try:
            verdict = impl.function(**{k: args[k] for k in impl.argnames if k in args})
        except VirageError:  # the scanner's own message (its service is down…): fail closed
            log.warning("Scanner %s could not check %s", impl.plugin_name, filename[:80])
            raise
        except Exception:  # fail closed, whatever the scanner's error
            log.exception("Scanner %s failed", impl.plugin_name)
            raise UnsupportedMediaType(
                "La vérification antivirus n'a pas pu être faite : le fichier n'a pas été "
                "enregistré. Réessayez dans un moment ; si cela persiste, prévenez votre "
                "administrateur."
            ) from None
        if verdict is None:
            continue
        if not isinstance(verdict, ScanVerdict) or not verdict.clean:
            found = getattr(verdict, "signature", None) or "signature inconnue"
            by = getattr(verdict, "scanner", None) or impl.plugin_name
            raise UnsupportedMediaType(
                f"Ce fichier contient un virus ou un contenu dangereux ({found}, détecté par "
                f"{by}) : il n'a pas été enregistré."
            )
        names.append(verdict.scanner)
    return tuple(names)
