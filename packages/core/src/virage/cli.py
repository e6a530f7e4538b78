"""The ``virage`` command line.

Errors are printed on one line in French, without a traceback (``VIRAGE_DEBUG=1`` shows it).
Plugins add commands with the ``register_commands`` hook.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import traceback
from pathlib import Path

import click

from virage import __version__
from virage.errors import ConfigurationError, VirageError
from virage.french import plural
from virage.plugins import PluginHost
from virage.settings import Settings


class Context:
    """What every command receives: settings and the plugin host (built once per run)."""

    def __init__(self, settings: Settings, plugins: PluginHost) -> None:
        self.settings = settings
        self.plugins = plugins


pass_ctx = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="virage", message="%(prog)s %(version)s")
def cli() -> None:
    """Virage : agenda partagé, transmissions et annuaire pour le social et le médico-social.

    La base de données est celle de VIRAGE_DB (par défaut var/virage.db).
    """


def _check_port_free(host: str, port: int) -> None:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise ConfigurationError(
                f"Impossible d'écouter sur {host}:{port} ({exc.strerror}) : ce port est peut-être "
                "déjà utilisé ; choisissez-en un autre avec --port."
            ) from exc


MAX_WORKERS = 32


def _serve(
    settings: Settings,
    host: str,
    port: int,
    extra_lines: list[str] | None = None,
    workers: int = 1,
) -> None:
    import uvicorn

    from virage.app import create_app, prepare_database

    if workers > 1 and not os.environ.get("VIRAGE_SECRET_KEY", "").strip():
        raise ConfigurationError(
            f"--workers {workers} : définissez d'abord VIRAGE_SECRET_KEY (un secret long et "
            "aléatoire, le même pour tous les processus), sinon chaque processus refuserait les "
            "formulaires préparés par les autres."
        )
    _check_port_free(host, port)
    # Client addresses: only Virage decides whom to believe (VIRAGE_TRUSTED_PROXIES); uvicorn's own
    # proxy-headers handling would believe X-Forwarded-For from 127.0.0.1.
    options = {"log_level": "warning", "access_log": False, "proxy_headers": False}
    if workers > 1:
        # Migrate once here, so that the workers do not race to apply the same migrations.
        prepare_database(settings, PluginHost(settings)).close()
        target = "virage.app:create_app"
    else:
        target = create_app(settings)
    click.echo(f"Virage est disponible sur http://{host}:{port}/")
    click.echo(
        f"  API : http://{host}:{port}/schema/  ·  documentation : http://{host}:{port}/docs/"
    )
    for line in extra_lines or []:
        click.echo(line)
    if workers > 1:
        click.echo(f"  {workers} processus (base et secret partagés)")
    click.echo("Arrêt : Ctrl+C")
    if workers > 1:
        uvicorn.run(target, factory=True, host=host, port=port, workers=workers, **options)
    else:
        uvicorn.run(target, host=host, port=port, **options)


host_option = click.option(
    "--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute."
)
port_option = click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port d'écoute."
)


@cli.command()
@host_option
@port_option
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, MAX_WORKERS),
    help="Nombre de processus (plus d'un : VIRAGE_SECRET_KEY obligatoire).",
)
@pass_ctx
def serve(ctx: Context, host: str, port: int, workers: int) -> None:
    """Lancer le service web (base : VIRAGE_DB)."""
    _serve(ctx.settings, host, port, workers=workers)


@cli.command()
@host_option
@port_option
@click.option("--seed", default=None, type=int, help="Graine du territoire fictif (reproductible).")
@click.option(
    "--no-serve", is_flag=True, help="Créer la base de démonstration sans lancer le service."
)
@click.option(
    "--keep",
    is_flag=True,
    help="Garder la base de démonstration déjà créée (ce qu'on y a fait) au lieu de la refaire.",
)
@pass_ctx
def demo(ctx: Context, host: str, port: int, seed: int | None, no_serve: bool, keep: bool) -> None:
    """Créer ou rafraîchir la base de démonstration (territoire fictif), puis la servir.

    La base est celle de VIRAGE_DB, ou var/demo.db si VIRAGE_DB n'est pas défini. Sans
    VIRAGE_PLUGINS, tous les plugins installés sauf l'exemple (hello). Avec --keep, une base de
    démonstration déjà là est gardée (migrée) et servie telle quelle.
    """
    from virage.demo import DEFAULT_DEMO_DB, DEFAULT_SEED, create_demo, demo_plugins, keep_demo

    settings = demo_plugins(ctx.settings)
    if not os.environ.get("VIRAGE_DB"):
        settings = settings.with_(db_path=DEFAULT_DEMO_DB)
    plugins = ctx.plugins if settings.plugins == ctx.settings.plugins else PluginHost(settings)
    lines = keep_demo(settings, plugins) if keep and seed is None else None
    if lines is None:
        lines = create_demo(settings, plugins, seed=DEFAULT_SEED if seed is None else seed)
    # PostgreSQL: the server and the base, never the password of the URL.
    where = settings.db_url.split("@")[-1] if settings.is_postgres else settings.db_path
    click.echo(f"Base de démonstration prête : {where}")
    if no_serve:
        for line in lines:
            click.echo(line)
        return
    _serve(settings, host, port, extra_lines=lines)


@cli.group()
def db() -> None:
    """Base de données : migrations, sauvegarde et restauration."""


@db.command("migrate")
@pass_ctx
def db_migrate(ctx: Context) -> None:
    """Appliquer les migrations en attente (cœur et plugins)."""
    from virage.app import collect_migrations
    from virage.db import connect, migrate

    database = connect(ctx.settings.database)
    try:
        applied = migrate(database, collect_migrations(ctx.plugins))
    finally:
        database.close()
    if not applied:
        settings = ctx.settings  # PostgreSQL: the server and the base, never the URL's password
        where = settings.db_url.split("@")[-1] if settings.is_postgres else settings.db_path
        click.echo(f"La base {where} est à jour.")
    for m in applied:
        click.echo(f"appliquée : {m.namespace}/{m.name}")


@db.command("status")
@pass_ctx
def db_status(ctx: Context) -> None:
    """Lister les migrations appliquées et en attente."""
    from virage.app import collect_migrations
    from virage.db import applied_migrations, connect

    database = connect(ctx.settings.database)
    try:
        done = applied_migrations(database)
    finally:
        database.close()
    for m in collect_migrations(ctx.plugins):
        state = "appliquée " if (m.namespace, m.name) in done else "en attente"
        click.echo(f"{state}  {m.namespace}/{m.name}")


@db.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
def db_backup(ctx: Context, target: Path) -> None:
    """Sauvegarder la base dans un nouveau fichier, service en marche, puis vérifier la copie
    (SQLite : copie en ligne ; PostgreSQL : pg_dump)."""
    if ctx.settings.is_postgres:
        from virage.backup_postgres import backup as backup_postgres

        report = backup_postgres(ctx.settings.db_url, target)
    else:
        from virage.backup import backup

        report = backup(ctx.settings.db_path, target)
    from virage.backup import copy_documents, documents_folder

    files = copy_documents(ctx.settings.documents_root, documents_folder(target))
    click.echo(
        f"Sauvegarde vérifiée : {report.path} ({plural(report.tables, 'table')}, "
        f"{plural(report.rows, 'ligne')}, {report.bytes // 1024} Kio ; "
        f"{plural(files, 'fichier')} de documents dans {documents_folder(target).name})."
    )


@db.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--replace", is_flag=True, help="Remplacer une base existante (gardée à côté, service arrêté)."
)
@pass_ctx
def db_restore(ctx: Context, source: Path, replace: bool) -> None:
    """Restaurer une sauvegarde à la place de la base (service arrêté). Sur PostgreSQL, dans une
    base neuve."""
    if ctx.settings.is_postgres:
        from virage.backup_postgres import restore as restore_postgres

        report = restore_postgres(source, ctx.settings.db_url)
    else:
        from virage.backup import restore

        report = restore(source, ctx.settings.db_path, replace=replace)
    from virage.backup import copy_documents, documents_folder

    files = copy_documents(documents_folder(source), ctx.settings.documents_root)
    click.echo(
        f"Base restaurée et vérifiée : {report.path} ({plural(report.tables, 'table')}, "
        f"{plural(report.rows, 'ligne')} ; {plural(files, 'fichier')} de documents)."
    )


@db.command("copy")
@click.argument("source")
@click.argument("target")
@pass_ctx
def db_copy(ctx: Context, source: str, target: str) -> None:
    """Copier toute une instance dans une base neuve, SQLite ↔ PostgreSQL, vérifiée table par
    table. SOURCE et CIBLE : un fichier SQLite ou une adresse postgresql://…"""
    from virage.app import collect_migrations
    from virage.db import connect
    from virage.db_copy import copy

    migrations = collect_migrations(ctx.plugins)
    src = connect(source)
    try:
        dst = connect(target)
        try:
            report = copy(
                src,
                dst,
                migrations,
                on_copied=lambda db: ctx.plugins.call("on_database_copied", db=db),
            )
        finally:
            dst.close()
    finally:
        src.close()
    click.echo(
        f"Copie vérifiée : {plural(report.tables, 'table')}, {plural(report.rows, 'ligne')} "
        "(nombre de lignes et empreinte identiques, table par table)."
    )


@cli.command("plugins")
@click.option("--all", "include_builtins", is_flag=True, help="Inclure les modules du cœur.")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@pass_ctx
def plugins_cmd(ctx: Context, include_builtins: bool, as_json: bool) -> None:
    """Lister les plugins installés : nom, version, hooks implémentés."""
    listing = ctx.plugins.listing(include_builtins=include_builtins)
    if as_json:
        click.echo(json.dumps(listing, ensure_ascii=False, indent=2))
        return
    if not listing:
        click.echo("Aucun plugin installé.")
    for p in listing:
        version = p["version"] or "-"
        status = "" if p["status"] == "ok" else "  [EN ERREUR]"
        click.echo(f"{p['name']} {version}{status}")
        click.echo(f"  hooks : {', '.join(p['hooks']) or '-'}")
        for e in p["errors"]:
            click.echo(f"  erreur ({e['stage']}) : {e['error']}")


def _print_error(message: str) -> None:
    click.echo(f"Erreur : {message}", err=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``virage`` command: builds the plugins, adds their commands, runs."""
    debug = os.environ.get("VIRAGE_DEBUG", "") not in ("", "0")
    try:
        settings = Settings.from_env()
        host = PluginHost(settings)
        host.call("register_commands", cli=cli)
        for failure in host.failures:
            click.echo(
                f"Attention : plugin {failure.plugin} désactivé ({failure.stage}) : {failure.error}",
                err=True,
            )
        cli.main(args=argv, prog_name="virage", standalone_mode=False, obj=Context(settings, host))
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        _print_error("interrompu.")
        return 1
    except click.UsageError as exc:
        hint = f" (voir « {exc.ctx.command_path} --help »)" if exc.ctx else ""
        _print_error(f"{exc.format_message()}{hint}")
        return 2
    except click.ClickException as exc:
        _print_error(exc.format_message())
        return exc.exit_code
    except VirageError as exc:
        _print_error(exc.message)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if debug:
            traceback.print_exc()
        _print_error(
            f"inattendue ({type(exc).__name__}) : {exc}. "
            "Relancez avec VIRAGE_DEBUG=1 pour le détail technique."
        )
        return 1
    return 0


def run() -> None:  # pragma: no cover - console script wrapper
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
