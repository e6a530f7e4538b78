"""``virage documents verifier``: rows whose file is missing, and files no row uses (orphans left
by an upload interrupted between the file and the row, or by a purge), bounded.

The blob store is shared: the persons' documents, the library and any plugin that stores files
keep theirs there, and each names its own through the hook ``documents_blobs_in_use``. A file is
an orphan only when no one names it *and* it is older than :data:`GRACE_SECONDS` (an upload
writes its file before its row: a younger file may be about to be used)."""

from __future__ import annotations

import time

import click

from virage.documents import storage
from virage.documents.blobs import DiskBlobStore, blob_store
from virage.french import plural

LIMIT = 100_000
#: A file younger than this is never an orphan: its upload may not have written its row yet.
GRACE_SECONDS = 3600


def in_use(db, plugins, limit: int = LIMIT) -> set[str]:
    """Every name the domains and plugins point to (hook ``documents_blobs_in_use``); without a
    plugin host, the persons' documents only."""
    if plugins is None:
        return set(storage.known_shas(db, limit))
    names: set[str] = set()
    for answer in plugins.call("documents_blobs_in_use", db=db, limit=limit):
        names.update(str(sha) for sha in list(answer or ())[:limit])
    return names


def check(db, store, plugins=None, *, clean: bool = False, limit: int = LIMIT) -> dict:
    """``missing``: names in use without a file; ``orphans``: files no one names, older than
    :data:`GRACE_SECONDS` (removed when ``clean``). Only the disk store can list its files."""
    known = in_use(db, plugins, limit)
    missing = sorted(sha for sha in known if not store.exists(sha))
    orphans: list[str] = []
    if isinstance(store, DiskBlobStore):
        old = time.time() - GRACE_SECONDS
        orphans = [
            sha
            for sha in store.names(limit)
            if sha not in known and store.path(sha).stat().st_mtime < old
        ]
        if clean and orphans:
            again = in_use(db, plugins, limit)  # rows written meanwhile keep their file
            orphans = [sha for sha in orphans if sha not in again]
            for sha in orphans:
                store.delete(sha)
    return {"missing": missing, "orphans": orphans}


def register(cli: click.Group) -> None:
    @cli.group("documents")
    def documents() -> None:
        """Documents des personnes : vérifier les fichiers."""

    @documents.command("verifier")
    @click.option(
        "--nettoyer", is_flag=True, help="Supprimer les fichiers qu'aucun document n'utilise."
    )
    @click.pass_obj
    def verify(ctx, nettoyer: bool) -> None:
        """Lister les documents dont le fichier manque et les fichiers orphelins."""
        from virage.app import prepare_database

        db = prepare_database(ctx.settings, ctx.plugins)
        report = check(db, blob_store(ctx.settings, ctx.plugins), ctx.plugins, clean=nettoyer)
        for sha in report["missing"]:
            click.echo(f"manquant : {sha}")
        for sha in report["orphans"]:
            click.echo(f"{'supprimé' if nettoyer else 'orphelin'} : {sha}")
        click.echo(
            f"{plural(report['missing'], 'fichier manquant')}, "
            + plural(
                report["orphans"], "fichier orphelin supprimé" if nettoyer else "fichier orphelin"
            )
            + "."
        )
        if report["missing"]:
            raise click.ClickException(
                "des documents n'ont plus leur fichier : restaurez-les depuis la dernière "
                "sauvegarde (virage db restore)."
            )
