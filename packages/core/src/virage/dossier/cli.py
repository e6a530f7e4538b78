"""Command line: export a person's or a structure's files as a FHIR Bundle, import one.

The command acts for a worker (``--compte``): her permissions apply and the journal records the
export or the import under her name, as from the pages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


def _access(ctx, username: str):
    from virage.app import prepare_database
    from virage.sdk.accounts import access_for

    db = prepare_database(ctx.settings, ctx.plugins)
    return access_for(db, ctx.plugins, username, route="virage dossier")


def register(cli: click.Group) -> None:
    @cli.group()
    def dossier() -> None:
        """Dossier de la personne : export et import FHIR."""

    @dossier.command("exporter")
    @click.option("--personne", type=int, help="Identifiant de la personne.")
    @click.option("--structure", type=int, help="Identifiant de la structure (tous ses dossiers).")
    @click.option("--compte", required=True, help="Identifiant du compte qui exporte.")
    @click.option(
        "--sortie", type=click.Path(dir_okay=False, path_type=Path), help="Fichier écrit."
    )
    @click.pass_obj
    def export(ctx, personne, structure, compte, sortie):
        """Exporter un dossier, ou ceux d'une structure, en Bundle FHIR R4 (JSON)."""
        from virage.dossier import fhir_export

        if (personne is None) == (structure is None):
            raise click.UsageError("Indiquez --personne ou --structure (l'un des deux).")
        access = _access(ctx, compte)
        if personne is not None:
            bundle = fhir_export.export_person(access, personne)
        else:
            bundle = fhir_export.export_structure(access, structure)
        access.db.commit() if access.db.in_transaction else None
        text = json.dumps(bundle, ensure_ascii=False, indent=1)
        if sortie:
            sortie.write_text(text, encoding="utf-8")
            click.echo(f"{len(bundle['entry'])} ressources écrites dans {sortie}.")
        else:
            sys.stdout.write(text + "\n")

    @dossier.command("importer")
    @click.argument("fichier", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--structure", type=int, required=True, help="Structure qui reçoit les dossiers.")
    @click.option("--compte", required=True, help="Identifiant du compte qui importe.")
    @click.pass_obj
    def import_(ctx, fichier, structure, compte):
        """Importer un Bundle FHIR exporté par Virage dans une structure."""
        from virage.dossier import fhir_import

        access = _access(ctx, compte)
        if fichier.stat().st_size > fhir_import.MAX_BYTES:
            raise click.ClickException("Le fichier dépasse 20 Mo : découpez l'export.")
        data = fhir_import.parse(fichier.read_bytes())
        created = fhir_import.import_bundle(access, structure, data)
        n = len(created)
        click.echo(f"{n} dossier{'s' if n > 1 else ''} importé{'s' if n > 1 else ''}.")
