"""The documents' hooks: where the files live, and the virus scan of every file received.

Added to the plugin manager by the domain (hook ``register_hookspecs``); implement them with
``@hookimpl`` from :mod:`virage.sdk`. See :mod:`virage.hookspecs` for the conventions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.db import Database
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
def documents_blobs_in_use(db: Database, limit: int) -> Iterable[str]:
    """Name the files of the blob store that this domain's or plugin's rows point to.

    :param db: the instance's database (read only).
    :param limit: the most names to give (the check is bounded).
    :return: SHA-256 names (hex). The persons' documents and the library answer; **a plugin that
        stores files with** :func:`virage.sdk.documents.blob_store` **must answer too**.

    Every plugin is asked: a name that no answer contains is an orphan, removed by
    ``--nettoyer`` (only when older than an hour, so that an upload in flight keeps its file); a
    name given whose file is missing is reported. Called by ``virage documents verifier``, and
    again just before ``--nettoyer`` deletes anything.
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
