"""``virage import <source> PATH``: import a registry file with one of the directory sources
contributed by plugins (hook ``register_directory_sources``), with a progress bar and a report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from virage.directory import imports
from virage.french import plural

MAX_PRINTED_REJECTIONS = 50


def _context(ctx: click.Context):
    obj = ctx.find_object(_context_class())
    if obj is None:  # pragma: no cover - always set by virage.cli.main
        raise click.ClickException("contexte de la ligne de commande absent.")
    return obj


class ImportGroup(click.Group):
    """One sub-command per directory source installed (``finess``…)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        obj = ctx.find_object(_context_class())
        return sorted(imports.sources_of(obj.plugins)) if obj else []

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        obj = ctx.find_object(_context_class())
        if obj is None:
            return None
        sources = imports.sources_of(obj.plugins)
        source = sources.get(name)
        if source is None:
            installed = ", ".join(sorted(sources)) or "aucune (installez par exemple virage-finess)"
            raise click.UsageError(
                f"Source « {name} » inconnue. Sources installées : {installed}.", ctx
            )
        return _source_command(source)


def _context_class():
    from virage.cli import Context

    return Context


def _source_command(source) -> click.Command:
    formats = ", ".join(f"{f.name} ({f.label})" for f in source.formats)

    @click.command(
        name=source.name,
        help=f"{source.label} : importer un fichier dans l'annuaire. "
        f"{source.description} Formats : {formats}. Le format est reconnu automatiquement.",
    )
    @click.argument("path", type=click.Path(path_type=Path))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice([f.name for f in source.formats]),
        default=None,
        help="Forcer le format (sinon reconnu automatiquement).",
    )
    @click.option(
        "--partiel",
        is_flag=True,
        help="Fichier partiel (un département, une mise à jour quotidienne) : "
        "ne pas fermer les structures absentes du fichier.",
    )
    @click.option(
        "--confirmer-baisse",
        "confirmer",
        is_flag=True,
        help="Confirmer une baisse réelle que les contrôles refuseraient sinon : fichier bien "
        "plus petit que le dernier extrait complet, nombreuses fermetures ou coordonnées "
        "perdues. Ne lève jamais le refus d'un fichier tronqué.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Afficher le rapport en JSON.")
    @click.pass_context
    def command(
        ctx, path: Path, fmt: str | None, partiel: bool, confirmer: bool, as_json: bool
    ) -> None:
        from virage.app import prepare_database

        obj = _context(ctx)
        fmt = imports.detect_format(source, path, fmt).name if path.is_file() else fmt
        db = prepare_database(obj.settings, obj.plugins)
        try:
            if sys.stderr.isatty():
                with click.progressbar(
                    length=max(1, path.stat().st_size),
                    label=f"Import {source.name}",
                    file=sys.stderr,
                    show_percent=True,
                    show_eta=True,
                ) as bar:
                    state = {"done": 0}

                    def progress(done: int, total: int) -> None:
                        if total > 0 and bar.length != total:
                            bar.length = total
                        if done > state["done"]:
                            bar.update(done - state["done"])
                            state["done"] = done

                    report = imports.run_import(
                        db,
                        source,
                        path,
                        fmt=fmt,
                        partial=partiel,
                        confirmed=confirmer,
                        progress=progress,
                    )
            else:
                report = imports.run_import(
                    db, source, path, fmt=fmt, partial=partiel, confirmed=confirmer
                )
        finally:
            db.close()
        if as_json:
            click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        lines = report.summary_lines()
        head = 2 + len(report.kinds)
        rest = lines[head:]
        for line in lines[:head] + rest[:MAX_PRINTED_REJECTIONS]:
            click.echo(line)
        if len(rest) > MAX_PRINTED_REJECTIONS:
            click.echo(
                f"  … et {plural(len(rest) - MAX_PRINTED_REJECTIONS, 'autre ligne')} (option --json "
                "pour le rapport complet)."
            )

    return command


def register(cli: click.Group) -> None:
    @cli.group(
        "import",
        cls=ImportGroup,
        help="Importer un registre national dans l'annuaire : virage import <source> FICHIER. "
        "Les sources viennent des plugins installés (par exemple finess). Un import est "
        "idempotent (le relancer ne crée pas de doublon), se fait en une seule transaction "
        "(un fichier invalide ne laisse rien à moitié importé) et se termine par un rapport.",
    )
    def import_group() -> None:
        pass
