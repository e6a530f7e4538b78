"""The documents, as plugins may use them: the safe intake of a file received, the store of
files addressed by their content, and the verdict a virus scanner returns.

Implement the hooks ``documents_blob_store`` (an object store) and ``scan_document`` (a virus
scanner) with ``@hookimpl``; store the files you receive with :func:`check_upload` then
``blob_store(settings, plugins).put(checked.data)``.
"""

from __future__ import annotations

from virage.documents.blobs import BlobStore, DiskBlobStore, blob_store, sha256_hex
from virage.documents.intake import (
    DOCUMENT_TYPES,
    IMAGE_TYPES,
    NO_SCANNER,
    Checked,
    check_upload,
    scanners,
)
from virage.documents.scan import ScanVerdict

__all__ = [
    "DOCUMENT_TYPES",
    "IMAGE_TYPES",
    "NO_SCANNER",
    "BlobStore",
    "Checked",
    "DiskBlobStore",
    "ScanVerdict",
    "blob_store",
    "check_upload",
    "scanners",
    "sha256_hex",
]
