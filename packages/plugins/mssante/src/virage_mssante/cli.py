"""``virage mssante relever``: fetch every bridged inbox once (cron, or after an outage)."""

from __future__ import annotations

import click

from virage.sdk import prepare_database
from virage_mssante import config as settings
from virage_mssante import fetch


def register(cli) -> None:
    @cli.group("mssante")
    def mssante() -> None:
        """Messagerie sécurisée (MSSanté) : relever les boîtes reliées."""

    @mssante.command("relever")
    @click.pass_obj
    def relever(ctx) -> None:
        """Relever une fois toutes les boîtes reliées à l'opérateur."""
        config = settings.load()
        if not config.imap_host:
            raise click.ClickException("VIRAGE_MSSANTE_IMAP_HOST n'est pas réglé : rien à relever.")
        db = prepare_database(ctx.settings, ctx.plugins)
        try:
            report = fetch.fetch_all(db, ctx.plugins, config)
        finally:
            db.close()
        boxes = "boîte reliée" if report.inboxes < 2 else "boîtes reliées"
        messages = "message reçu" if report.stored < 2 else "messages reçus"
        click.echo(f"{report.inboxes} {boxes}, {report.stored} {messages}.")
        for failure in report.failures:
            click.echo(f"Non relevée : {failure}", err=True)
        if report.failures:
            raise SystemExit(1)
