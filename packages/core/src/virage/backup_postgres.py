"""Backing up and restoring a PostgreSQL instance with PostgreSQL's own tools.

``virage db backup FILE`` runs ``pg_dump --format=custom`` (a consistent snapshot while the
service runs) into a new file, then checks with ``pg_restore --list`` that the dump holds the data
of every table. ``virage db restore FILE`` runs ``pg_restore`` into a database (or schema) that has
no table yet, in one transaction, and compares each table's rows and checksum with what the dump
recorded when it was made (written next to it, ``FILE.empreinte.json``).

A network's real protection is continuous archiving and replication (the hosting guide): this is
the portable dump a structure takes away, and the drill that proves a dump can be restored.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from virage.backup import BackupReport, check_new_file
from virage.db import connect
from virage.db_copy import fingerprint, tables
from virage.errors import ConfigurationError, InvalidInput

TIMEOUT_S = 6 * 3600  # a dump of a large network is long; never endless


def _tool(name: str) -> str:
    """The newest ``pg_dump``/``pg_restore`` on the machine (Debian keeps one per major version)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if found:
        return found
    raise ConfigurationError(
        f"{name} est introuvable : installez le client PostgreSQL (paquet postgresql-client, "
        "de la même version majeure que le serveur ou plus récente)."
    )


def _schema(url: str) -> str | None:
    """The schema named by ``options=-c search_path=…`` in the URL (the test harness), if any."""
    options = parse_qs(urlsplit(url).query).get("options", [""])[0]
    match = re.search(r"search_path=([A-Za-z0-9_]+)", unquote(options))
    return match.group(1) if match else None


#: The tools act as the system under row-level security (they read and write every structure's
#: rows); without ``--enable-row-security`` they would stop at the first table with a policy.
AS_SYSTEM = {"PGOPTIONS": "-c virage.structures=all"}


def _run(args: list[str], what: str) -> str:
    env = {**os.environ, **AS_SYSTEM}
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S, env=env)
    except subprocess.TimeoutExpired as exc:
        raise InvalidInput(f"{what} : trop long, interrompu.") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise InvalidInput(f"{what} a échoué : {detail[-1] if detail else done.returncode}.")
    return done.stdout


def _print_path(path: Path) -> Path:
    return path.with_name(path.name + ".empreinte.json")


def backup(url: str, target: Path) -> BackupReport:
    """Dump the PostgreSQL database at ``url`` into the new file ``target``; check the dump."""
    target = Path(target)
    check_new_file(target, _print_path(target))
    db = connect(url)
    try:
        found = tables(db)
        if not found:
            raise InvalidInput("La base ne contient aucune table Virage : rien à sauvegarder.")
        expected = fingerprint(db, found)
    finally:
        db.close()
    partial = target.with_name(target.name + ".partielle")
    schema = _schema(url)
    args = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    args += ["--enable-row-security"]
    args += [f"--schema={schema}"] if schema else []
    try:
        _run([*args, f"--file={partial}", f"--dbname={url}"], "pg_dump")
        listing = _run([_tool("pg_restore"), "--list", str(partial)], "pg_restore --list")
        dumped = set(re.findall(r"TABLE DATA \S+ (\S+) ", listing))
        missing = sorted(set(found) - dumped)
        if missing:
            raise InvalidInput(
                "La sauvegarde ne contient pas les tables : " + ", ".join(missing[:5])
            )
        with open(partial, "rb") as f:
            os.fsync(f.fileno())
        partial.rename(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    # What the drill compares with after a restore (the dump itself is a consistent snapshot;
    # rows written between the count and the dump would show there: back up a quiet instance).
    _print_path(target).write_text(json.dumps(expected), encoding="utf-8")
    return BackupReport(
        target,
        tables=len(expected),
        rows=sum(rows for rows, _ in expected.values()),
        bytes=target.stat().st_size,
    )


def restore(backup_file: Path, url: str) -> BackupReport:
    """Restore a dump into the database at ``url``, which must hold no Virage table yet."""
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise InvalidInput(f"La sauvegarde {backup_file} n'existe pas.")
    db = connect(url)
    try:
        if tables(db):
            raise InvalidInput(
                "La base cible contient déjà des tables : sur PostgreSQL, restaurez dans une base "
                "neuve puis faites pointer VIRAGE_DB dessus ; l'ancienne reste intacte."
            )
    finally:
        db.close()
    _run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--enable-row-security",
            f"--dbname={url}",
            str(backup_file),
        ],
        "pg_restore",
    )
    db = connect(url)
    try:
        got = fingerprint(db)
    finally:
        db.close()
    recorded = _print_path(backup_file)
    if recorded.is_file():
        expected = {k: tuple(v) for k, v in json.loads(recorded.read_text("utf-8")).items()}
        if got != expected:
            differ = sorted(t for t in expected if expected[t] != got.get(t))
            raise InvalidInput(
                "La base restaurée ne correspond pas à la sauvegarde (tables : "
                + ", ".join(differ[:5])
                + ")."
            )
    return BackupReport(
        Path(urlsplit(url).path.lstrip("/") or "postgresql"),
        tables=len(got),
        rows=sum(rows for rows, _ in got.values()),
        bytes=backup_file.stat().st_size,
    )
