"""Backing up and restoring an embedded (SQLite) instance, checked table by table.

- :func:`backup` copies the live database with SQLite's online backup API: the service keeps
  running (readers and the writer are not stopped), and the copy is a consistent snapshot. The copy
  is then verified: SQLite's integrity check, and for every table the number of rows and a checksum
  of its content, compared with the source read in the same snapshot.
- :func:`restore` puts a verified backup in place of a database that is absent or empty (the
  service stopped): it never overwrites data unless told to, and it keeps what it replaces.
- :func:`fingerprint` gives the ``{table: (rows, checksum)}`` a restore drill compares.

Both refuse clearly (``InvalidInput``, in French) what could lose data: a target that exists, a
source that is not a Virage database, a copy that does not match. A PostgreSQL instance is backed
up with PostgreSQL's own tools (``pg_dump``, continuous archiving): see the hosting guide.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from virage.errors import InvalidInput

#: Pages copied per step of the online backup: the writer waits at most one step.
PAGES_PER_STEP = 256
MIGRATIONS_TABLE = "_migrations"
MOD = 2**256


@dataclass(frozen=True)
class BackupReport:
    path: Path
    tables: int
    rows: int
    bytes: int


def _open_readonly(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def _tables(conn: sqlite3.Connection) -> list[str]:
    """Ordinary tables (full-text shadow tables included: they are data too)."""
    return [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]


def _is_virtual(conn: sqlite3.Connection, table: str) -> bool:
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()
    return (sql or "").upper().startswith("CREATE VIRTUAL TABLE")


def fingerprint(conn: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """``{table: (rows, checksum)}`` for every ordinary table.

    The checksum is the sum (modulo 2**256) of the SHA-256 of each row: it does not depend on the
    order rows are read in, and it is computed while streaming. Virtual tables (full-text
    indexes) are left out: their content lives in their shadow tables, which are counted.
    """
    out = {}
    for table in _tables(conn):
        if _is_virtual(conn, table):
            continue
        total = rows = 0
        for row in conn.execute(f'SELECT * FROM "{table}"'):
            total = (total + int.from_bytes(hashlib.sha256(repr(row).encode()).digest())) % MOD
            rows += 1
        out[table] = (rows, f"{total:064x}")
    return out


def _check_is_virage(conn: sqlite3.Connection, what: str) -> None:
    try:
        found = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
            [MIGRATIONS_TABLE],
        ).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{what} n'est pas une base SQLite lisible ({exc}).") from None
    if not found:
        raise InvalidInput(f"{what} n'est pas une base Virage (pas de table des migrations).")


def _check_integrity(conn: sqlite3.Connection, what: str) -> None:
    (result,) = conn.execute("PRAGMA integrity_check").fetchone()
    if result != "ok":
        raise InvalidInput(f"{what} est endommagée (contrôle d'intégrité : {result}).")


def check_new_file(*paths: Path) -> None:
    """A backup is written to a new file in an existing folder: never over another one."""
    for path in paths:
        if path.exists():
            raise InvalidInput(
                f"Le fichier {path} existe déjà : une sauvegarde n'en écrase jamais une autre. "
                "Choisissez un nouveau nom (par exemple avec la date)."
            )
    if not paths[0].parent.is_dir():
        raise InvalidInput(f"Le dossier {paths[0].parent} n'existe pas.")


def backup(source: Path | str, target: Path | str) -> BackupReport:
    """Copy the live database ``source`` into the new file ``target``, then verify the copy."""
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise InvalidInput(f"La base {source} n'existe pas : vérifiez VIRAGE_DB.")
    check_new_file(target)
    src = _open_readonly(source)
    partial = target.with_name(target.name + ".partielle")
    try:
        _check_is_virage(src, f"La base {source}")
        dst = sqlite3.connect(partial)
        try:
            # One read transaction on the source: the fingerprint and the copy see the same data.
            src.execute("BEGIN")
            expected = fingerprint(src)
            src.backup(dst, pages=PAGES_PER_STEP)
            src.execute("COMMIT")
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            _check_integrity(dst, "La copie")
            got = fingerprint(dst)
        finally:
            dst.close()
        if got != expected:
            differ = sorted(t for t in set(expected) | set(got) if expected.get(t) != got.get(t))
            raise InvalidInput(
                "La copie ne correspond pas à la base (tables : " + ", ".join(differ[:5]) + ")."
            )
        with open(partial, "rb") as f:
            os.fsync(f.fileno())
        partial.rename(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return BackupReport(
        target,
        tables=len(expected),
        rows=sum(rows for rows, _ in expected.values()),
        bytes=target.stat().st_size,
    )


def restore(backup_file: Path | str, target: Path | str, *, replace: bool = False) -> BackupReport:
    """Put ``backup_file`` in place as the database ``target`` (the service stopped).

    A ``target`` that holds data is kept aside (``<name>.avant-restauration``) and replaced only
    with ``replace``; without it, the restore is refused.
    """
    backup_file, target = Path(backup_file), Path(target)
    if not backup_file.is_file():
        raise InvalidInput(f"La sauvegarde {backup_file} n'existe pas.")
    src = _open_readonly(backup_file)
    try:
        _check_is_virage(src, f"La sauvegarde {backup_file}")
        _check_integrity(src, f"La sauvegarde {backup_file}")
        expected = fingerprint(src)
    finally:
        src.close()
    kept = None
    if target.exists() and target.stat().st_size > 0:
        if not replace:
            raise InvalidInput(
                f"La base {target} existe et contient des données : la restauration ne l'écrase "
                "pas. Arrêtez le service, puis relancez avec --replace (l'ancienne base est "
                "gardée à côté)."
            )
        kept = target.with_name(target.name + ".avant-restauration")
        if kept.exists():
            raise InvalidInput(f"{kept} existe déjà : déplacez-le d'abord.")
        target.rename(kept)
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
    partial = target.with_name(target.name + ".partielle")
    try:
        src = _open_readonly(backup_file)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=PAGES_PER_STEP)
            got = fingerprint(dst)
        finally:
            dst.close()
            src.close()
        if got != expected:
            raise InvalidInput("La base restaurée ne correspond pas à la sauvegarde.")
        partial.rename(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        if kept is not None and not target.exists():
            kept.rename(target)
        raise
    return BackupReport(
        target,
        tables=len(expected),
        rows=sum(rows for rows, _ in expected.values()),
        bytes=target.stat().st_size,
    )


# --------------------------------------------------------------------------- documents' files

_SHA_NAME = frozenset("0123456789abcdef")


def documents_folder(target: Path | str) -> Path:
    """Where a backup keeps the documents' files: ``<backup>.documents/`` next to it."""
    target = Path(target)
    return target.with_name(target.name + ".documents")


def _blob_files(root: Path, limit: int = 10_000_000):
    count = 0
    for path in sorted(root.glob("??/??/*")):
        name = path.name
        if len(name) == 64 and set(name) <= _SHA_NAME and path.is_file():
            yield path
            count += 1
            if count >= limit:
                return


def _copy_verified(path: Path, dest: Path) -> int:
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != path.name:
        raise InvalidInput(f"Le fichier {path} ne correspond pas à son empreinte : il est abîmé.")
    if dest.is_file() and dest.stat().st_size == len(data):
        return 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partiel")
    with open(partial, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    partial.replace(dest)
    return len(data)


def copy_documents(source: Path | str, target: Path | str) -> int:
    """Copy the documents' files (named by their SHA-256, each checked) from the folder
    ``source`` to ``target``; files already there are kept. Returns how many files were seen."""
    source, target = Path(source), Path(target)
    if not source.is_dir():
        return 0
    count = 0
    for path in _blob_files(source):
        _copy_verified(path, target / path.relative_to(source))
        count += 1
    return count
