"""``virage documents verifier``: rows whose file is missing, and files no row uses (orphans left
by an upload interrupted between the file and the row, or by a purge), bounded."""

from __future__ import annotations

import click

from virage.documents import storage
from virage.documents.blobs import DiskBlobStore, blob_store
from virage.french import plural

LIMIT = 100_000


def check(db, store, *, clean: bool = False, limit: int = LIMIT) -> dict[str, list[str]]:
    """``missing``: SHA-256s rows point to without a file; ``orphans``: files without a row
    (removed when ``clean``). Only the disk store can list its files."""
    known = storage.known_shas(db, limit)
    missing = [sha for sha in known if not store.exists(sha)]
    orphans: list[str] = []
    if isinstance(store, DiskBlobStore):
        used = set(known)
        orphans = [
            sha for sha in store.names(limit) if sha not in used and not storage.used(db, sha)
        ]
        if clean:
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
        report = check(db, blob_store(ctx.settings, ctx.plugins), clean=nettoyer)
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
