"""Registry imports started from the web (``/administration/annuaire/import``), run in a
background thread while the page shows their progress.

The same function as ``virage import`` does the work (:func:`virage.directory.imports.run_import`),
with the same checks (format, plausibility, truncated file, large drop to confirm) and its own
audit entry; the start is audited too. One import at a time per process (the database also locks
imports against each other). Progress lives in the memory of the process that runs the import:
after a restart, or behind several processes, the result is in the history of imports.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from virage.accounts.context import AccessContext
from virage.directory import imports
from virage.errors import Conflict, InvalidInput, NotFound

#: Largest file accepted from the browser (the national FINESS extract is about 100 MB).
MAX_UPLOAD_BYTES = 512 * 1024 * 1024
SUFFIX_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.")


@dataclass
class Job:
    id: str
    source: str
    filename: str
    actor_label: str
    done: int = 0
    total: int = 0
    state: str = "running"  # running, done, failed
    summary: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def percent(self) -> int:
        if self.state != "running":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "fichier": self.filename,
            "etat": self.state,
            "pourcentage": self.percent,
            "rapport": self.summary,
            "erreur": self.error,
        }


_jobs: dict[str, Job] = {}
_lock = threading.Lock()


def sources(plugins) -> list:
    return list(imports.sources_of(plugins).values())


def running() -> Job | None:
    with _lock:
        return next((j for j in _jobs.values() if j.state == "running"), None)


def get(access: AccessContext, job_id: str) -> Job:
    access.require("directory.import", action="directory.import.progress")
    job = _jobs.get(job_id)
    if job is None:
        raise NotFound(
            "Cet import n'est plus suivi ici (le service a peut-être redémarré) : voyez son "
            "résultat dans l'historique des imports."
        )
    return job


def save_upload(stream, filename: str, folder: Path) -> Path:
    """Copy the uploaded file to ``folder`` (bounded); its name keeps a safe suffix."""
    suffix = "".join(c for c in Path(filename or "").suffix.lower() if c in SUFFIX_CHARS)[:10]
    target = folder / f"import{suffix}"
    written = 0
    with target.open("wb") as out:
        while chunk := stream.read(1024 * 1024):
            written += len(chunk)
            if written > MAX_UPLOAD_BYTES:
                raise InvalidInput(
                    "Fichier trop gros pour un envoi par le navigateur (512 Mo au plus) : "
                    "importez-le en ligne de commande sur le serveur (virage import)."
                )
            out.write(chunk)
    if written == 0:
        raise InvalidInput("Le fichier envoyé est vide.")
    return target


def start(
    access: AccessContext,
    plugins,
    pool,
    source_name: str,
    stream,
    filename: str,
    *,
    partial: bool = False,
    confirmed: bool = False,
) -> Job:
    """Check, keep the file, and start the import in a thread; return its job."""
    access.require("directory.import", action="directory.import.start")
    source = imports.sources_of(plugins).get(source_name)
    if source is None:
        raise InvalidInput("Choisissez la source du fichier (par exemple FINESS).")
    if running() is not None:
        raise Conflict("Un import est déjà en cours : attendez qu'il se termine.")
    folder = Path(tempfile.mkdtemp(prefix="virage-import-"))
    try:
        path = save_upload(stream, filename, folder)
        imports.detect_format(source, path, None)  # a wrong file is refused before the thread
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    actor = access.actor
    job = Job(secrets.token_urlsafe(12), source.name, Path(filename).name[:200], actor.label)
    with _lock:
        _jobs[job.id] = job
    access.audit(
        "directory.import.started",
        target=f"directory_import_job:{job.id}",
        details={"source": source.name, "fichier": job.filename, "partiel": partial},
    )
    thread = threading.Thread(
        target=_run,
        args=(job, pool, source, path, folder, partial, confirmed),
        name=f"virage-import-{job.id}",
        daemon=True,
    )
    thread.start()
    return job


def _run(job: Job, pool, source, path: Path, folder: Path, partial, confirmed) -> None:
    # A new thread starts with a fresh context: it acts as the system, like ``virage import``.
    def progress(done: int, total: int) -> None:
        job.done, job.total = done, total

    try:
        report = imports.run_import(
            pool.get(),
            source,
            path,
            partial=partial,
            confirmed=confirmed,
            progress=progress,
            actor_label=f"{job.actor_label} (navigateur)",
        )
        job.summary = report.summary_lines()[:60]
        job.state = "done"
    except InvalidInput as exc:
        job.error, job.state = exc.message, "failed"
    except Exception as exc:
        job.error = f"Import interrompu : {type(exc).__name__}. L'annuaire n'a pas été modifié."
        job.state = "failed"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
