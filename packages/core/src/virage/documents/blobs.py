"""Files addressed by their content: the SHA-256 of the bytes is the name.

A store only ever adds whole files. :class:`DiskBlobStore` writes to a temporary file in the target
folder, flushes it to disk, renames it in place and flushes the folder: a crash leaves either
nothing or the whole file, never half of one. Rows point to a file only once it is durable, so a
file without a row (an upload interrupted between the two) is harmless: ``virage documents
verifier`` lists them.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from virage.errors import NotFound

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.plugins import PluginHost
    from virage.settings import Settings

_SHA = re.compile(r"^[0-9a-f]{64}$")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA.match(sha256):
        raise NotFound("Ce fichier n'existe pas (ou plus).")
    return sha256


@runtime_checkable
class BlobStore(Protocol):
    """Where the documents' bytes live, named by their SHA-256 (hex)."""

    def put(self, data: bytes) -> str:
        """Store ``data`` durably and return its SHA-256; storing the same bytes twice is a no-op."""

    def get(self, sha256: str) -> bytes:
        """The bytes named ``sha256``; :class:`virage.errors.NotFound` when absent."""

    def exists(self, sha256: str) -> bool:
        """Whether the bytes named ``sha256`` are stored."""

    def delete(self, sha256: str) -> None:
        """Remove the bytes named ``sha256`` (nothing happens when absent)."""


class DiskBlobStore:
    """Blobs on a local disk, under ``root/ab/cd/<sha256>``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        sha = _checked(sha256)
        return self.root / sha[:2] / sha[2:4] / sha

    def put(self, data: bytes) -> str:
        sha = sha256_hex(data)
        target = self.path(sha)
        if target.is_file() and target.stat().st_size == len(data):
            os.utime(target)  # young again: the orphans' cleaning leaves it to its new row
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        _fsync_dir(target.parent)
        return sha

    def get(self, sha256: str) -> bytes:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise NotFound("Ce fichier n'existe pas (ou plus).") from None

    def exists(self, sha256: str) -> bool:
        try:
            return self.path(sha256).is_file()
        except NotFound:
            return False

    def delete(self, sha256: str) -> None:
        try:
            self.path(sha256).unlink()
        except FileNotFoundError:
            return

    def names(self, limit: int = 100_000) -> Iterator[str]:
        """The stored SHA-256s (at most ``limit``), for the check of ``virage documents verifier``."""
        if not self.root.is_dir():
            return
        count = 0
        for path in sorted(self.root.glob("??/??/*")):
            if _SHA.match(path.name):
                yield path.name
                count += 1
                if count >= limit:
                    return


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def blob_store(settings: Settings, plugins: PluginHost | None) -> BlobStore:
    """The store of this instance: a plugin's (hook ``documents_blob_store``), else the disk."""
    if plugins is not None:
        found = plugins.call("documents_blob_store", firstresult=True, settings=settings)
        store = found[0] if found else None
        if store is not None:
            return store
    return DiskBlobStore(settings.documents_root)
