"""Importing a registry file into the directory: the same steps for every source.

``run_import`` detects the format, streams the importer's records into **one transaction**, checks
and normalises every record (a bad record becomes a rejected line of the report, never a crash),
upserts on the national identifier a batch at a time (so re-running the same file changes
nothing; see :mod:`.import_run`), marks closed the entries that a complete extract no longer lists,
refreshes the communes used for distance searches, and writes the import history and the audit
entry. Any fatal error rolls everything back: a malformed, truncated or incomplete file never
leaves a half-imported directory (the checks are in :mod:`.import_guards`).

During the import the connection's page cache is enlarged (``IMPORT_CACHE_KIB``), so that the
pages written many times (indexes, full-text segments) stay in memory until the single commit;
the commit itself keeps the durability settings of every connection (WAL, ``synchronous=FULL``).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from virage.accounts import service as accounts
from virage.audit.service import record as audit_record
from virage.db import Database, transaction
from virage.directory import import_guards, import_sql, normalize, storage
from virage.directory.import_report import ImportReport, KindCount  # noqa: F401 - re-exported
from virage.directory.import_run import Run
from virage.directory.sources import (
    DirectorySource,
    ImportFailed,
    ProfessionalRecord,
    Rejected,
    SourceFormat,
    StructureRecord,
)
from virage.errors import InvalidInput, NotFound

log = logging.getLogger("virage.directory")

HEAD_BYTES = 64 * 1024
#: Page cache of the importing connection (KiB), restored afterwards.
IMPORT_CACHE_KIB = 256 * 1024

Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------- sources


def sources_of(plugins) -> dict[str, DirectorySource]:
    """The directory sources registered by plugins (hook ``register_directory_sources``)."""
    out: dict[str, DirectorySource] = {}
    for plugin_name, source in plugins.call_per_plugin("register_directory_sources"):
        if not isinstance(source, DirectorySource):
            plugins.failures.append(
                _failure(plugin_name, "register_directory_sources", "not a DirectorySource")
            )
            continue
        out.setdefault(source.name, source)
    return out


def _failure(plugin: str, stage: str, error: str):
    from virage.plugins import PluginFailure

    return PluginFailure(plugin, stage, error)


def detect_format(source: DirectorySource, path: Path, fmt: str | None) -> SourceFormat:
    names = ", ".join(f.name for f in source.formats)
    if fmt:
        found = source.format_named(fmt)
        if found is None:
            raise InvalidInput(f"Format « {fmt} » inconnu pour la source {source.name} : {names}.")
        return found
    importer = source.importer
    if not hasattr(importer, "detect"):
        if len(source.formats) == 1:
            return source.formats[0]
        raise InvalidInput(f"Précisez le format avec --format ({names}).")
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    if not head.strip():
        raise InvalidInput(f"Le fichier {path.name} est vide.")
    detected = importer.detect(path, head)
    found = source.format_named(detected) if detected else None
    if found is None:
        labels = " ; ".join(f"{f.label} ({f.name})" for f in source.formats)
        raise InvalidInput(
            f"Format du fichier {path.name} non reconnu pour la source {source.name}. "
            f"Formats acceptés : {labels}."
        )
    return found


def _reader(source: DirectorySource):
    importer = source.importer
    return importer.read if hasattr(importer, "read") else importer


# --------------------------------------------------------------------------- the import


def run_import(
    db: Database,
    source: DirectorySource,
    path: Path,
    *,
    fmt: str | None = None,
    partial: bool = False,
    confirmed: bool = False,
    progress: Progress | None = None,
    actor_label: str = "ligne de commande",
) -> ImportReport:
    """Import ``path`` with ``source``; return the report. Raises ``InvalidInput`` (nothing kept).

    ``partial``: the file is an extract (a département, a daily update): entries it does not list
    are left as they are. ``confirmed``: the person confirms a large drop (a much smaller file,
    many closures or lost coordinates) that the checks would otherwise refuse.
    """
    path = Path(path)
    if not path.exists():
        raise NotFound(f"Fichier introuvable : {path}")
    if path.is_dir():
        raise InvalidInput(f"{path} est un dossier : indiquez le fichier à importer.")
    try:
        source_format = detect_format(source, path, fmt)
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInput(f"Impossible de lire {path} : {exc.strerror or exc}.") from exc
    report = ImportReport(source.name, source_format.name, path.name, partial=partial, size=size)
    read = _reader(source)
    kwargs: dict[str, Any] = {}
    if "progress" in inspect.signature(read).parameters:
        kwargs["progress"] = progress or (lambda done, total: None)
    cache = import_sql.enlarge_cache(db, IMPORT_CACHE_KIB)
    try:
        with transaction(db):
            import_sql.lock_for_import(db)
            open_before = import_sql.count_open(db, source.name)
            import_id = storage.start_import(
                db, source.name, source_format.name, path.name, actor_label, partial
            )
            report.import_id = import_id
            _read_into(
                Run(db, source.name, import_id, report), read(path, source_format.name, **kwargs)
            )
            import_guards.check_plausible(report)
            if not (partial or confirmed):
                import_guards.check_size(db, source.name, source_format.name, path, size)
            import_guards.close_missing(
                db,
                source.name,
                source_format,
                import_id,
                report,
                open_before,
                partial=partial,
                confirmed=confirmed,
            )
            storage.refresh_communes(db)
            storage.link_professionals_to_users(db, accounts.active_users_by_rpps(db))
            storage.finish_import(db, import_id, "done", report.as_dict(), report.generated_at)
            audit_record(
                db,
                None,
                "directory.import",
                target=f"directory_import:{import_id}",
                actor_label=actor_label,
                details={
                    "source": source.name,
                    "fichier": path.name,
                    "crees": report.created,
                    "mis_a_jour": report.updated,
                    "fermes": report.closed,
                    "rejets": len(report.rejected),
                },
            )
    except ImportFailed as exc:
        where = f" (ligne {exc.line})" if exc.line else ""
        message = f"Import annulé, l'annuaire n'a pas été modifié : {exc.message}{where}."
        _record_failure(db, source, source_format, path, actor_label, partial, message)
        raise InvalidInput(message) from exc
    except UnicodeDecodeError as exc:
        message = (
            "Import annulé, l'annuaire n'a pas été modifié : le fichier contient des caractères "
            f"illisibles (octet {exc.start})."
        )
        _record_failure(db, source, source_format, path, actor_label, partial, message)
        raise InvalidInput(message) from exc
    except OSError as exc:
        message = (
            f"Import annulé, l'annuaire n'a pas été modifié : lecture de {path.name} impossible "
            f"({exc.strerror or exc})."
        )
        _record_failure(db, source, source_format, path, actor_label, partial, message)
        raise InvalidInput(message) from exc
    finally:
        import_sql.restore_cache(db, cache)
    return report


def _read_into(run: Run, items: Iterable) -> None:
    report = run.report
    for item in items:
        if isinstance(item, StructureRecord):
            run.structure(item)
        elif isinstance(item, ProfessionalRecord):
            run.professional(item)
        elif isinstance(item, Rejected):
            run.rejected(item)
        elif isinstance(item, dict) and "generated_at" in item:
            report.generated_at = normalize.iso_date(item["generated_at"])
        else:
            raise ImportFailed(f"élément inattendu renvoyé par l'importeur : {item!r}")
    run.flush()


def _record_failure(db, source, source_format, path, actor_label, partial, message) -> None:
    try:
        with transaction(db):
            storage.record_failed_import(
                db,
                source.name,
                source_format.name,
                path.name,
                actor_label,
                partial,
                {"erreur": message},
            )
            audit_record(
                db,
                None,
                "directory.import.failed",
                actor_label=actor_label,
                details={"source": source.name, "fichier": path.name, "erreur": message},
            )
    except Exception:  # the failure itself must still reach the person
        log.exception("could not record the failed import")
