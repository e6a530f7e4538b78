"""The documents' hooks: where the files live, and the virus scan of every file received.

Added to the plugin manager by the domain (hook ``register_hookspecs``); implement them with
``@hookimpl`` from :mod:`virage.sdk`. See :mod:`virage.hookspecs` for the conventions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.documents.blobs import BlobStore
    from virage.documents.scan import ScanVerdict
    from virage.settings import Settings

hookspec = pluggy.HookspecMarker("virage")


@hookspec(firstresult=True)
def documents_blob_store(settings: Settings) -> BlobStore | None:
    """Give the store where documents' files live (an S3-compatible object store…).

    :param settings: the instance's settings.
    :return: an object following :class:`virage.sdk.documents.BlobStore` (``put``, ``get``,
        ``exists``, ``delete``, files named by their SHA-256), or ``None`` to keep the default:
        files on disk under ``VIRAGE_DOCUMENTS_DIR``. The first plugin that answers wins.

    ``put`` must be durable when it returns (the database row is written afterwards) and
    idempotent (the same bytes stored twice give the same name). Called each time a document's
    file is stored or read.
    """


@hookspec
def scan_document(data: bytes, filename: str) -> ScanVerdict | None:
    """Scan a file received (a person's document, a file of the library) before it is stored.

    :param data: the bytes as they will be stored (images already re-encoded).
    :param filename: the name the sender gave (for the scanner's report only).
    :return: a :class:`virage.sdk.documents.ScanVerdict` (``clean``, ``scanner``,
        ``signature``), or ``None`` when this plugin does not scan.

    Every plugin is called. A verdict that is not clean refuses the file; a scanner that raises
    refuses it too (fail closed: the check could not be done). With no scanner, files are
    accepted and the documents' pages say « Aucun antivirus n'est configuré sur ce serveur ».
    Called for every file received, after its checks and before it is stored.
    """
