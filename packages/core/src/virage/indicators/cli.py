"""Command line: ``virage indicateurs export`` (networks feeding their own warehouse) and
``virage indicateurs recalculer``.

The command line does **not** bypass the sas: it delivers only an export that the director and
the DPO approved on the page, as the account named by ``--compte`` (a director or the DPO of the
structure), and the download is audited like one from the page (« via : ligne de commande »).
There is no flag to export unapproved figures.
"""

from __future__ import annotations

import sys

import click

from virage.errors import VirageError
from virage.french import plural


def register(cli: click.Group) -> None:
    @cli.group("indicateurs")
    def indicateurs() -> None:
        """Indicateurs : exports approuvés du sas, recalcul des agrégats mensuels."""

    @indicateurs.command("export")
    @click.option("--structure", "structure_id", type=click.IntRange(1), required=True)
    @click.option("--periode", required=True, help="Trimestre (2026-T3), mois (2026-07) ou année.")
    @click.option("--format", "fmt", type=click.Choice(["csv", "json", "fhir"]), default="csv")
    @click.option("--compte", required=True, help="Identifiant de la direction ou du DPO.")
    @click.option("--sortie", type=click.Path(dir_okay=False, writable=True), default=None)
    @click.pass_obj
    def export(ctx, structure_id, periode, fmt, compte, sortie):
        """Sortir un export approuvé (direction et DPO) ; jamais un export non approuvé."""
        from virage.accounts import lookups
        from virage.accounts.context import AccessContext
        from virage.accounts.service import actor_for_user
        from virage.app import build_registry, prepare_database
        from virage.indicators import formats, sas
        from virage.indicators.model import period_text

        db = prepare_database(ctx.settings, ctx.plugins)
        try:
            user = lookups.user_by_username(db, compte.strip()[:80])
            if user is None:
                raise click.ClickException(f"Compte « {compte} » introuvable.")
            actor = actor_for_user(db, user, via="cli")
            access = AccessContext(
                db, build_registry(ctx.plugins), actor, "virage indicateurs export", ctx.plugins
            )
            found = sas.approved_for(access, structure_id, periode.strip()[:10])
            if found is None:
                raise click.ClickException(
                    f"Aucun export approuvé pour le {period_text(periode.strip()[:10])} de cette "
                    "structure : préparez-le dans le sas (/indicateurs) et faites-le approuver par "
                    "la direction et le délégué à la protection des données."
                )
            row = sas.for_download(access, found, fmt)
            text = formats.render(row["content"], fmt)
        except VirageError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            db.close()
        if sortie:
            with open(sortie, "w", encoding="utf-8") as out:
                out.write(text)
        else:
            sys.stdout.write(text)

    @indicateurs.command("recalculer")
    @click.option("--structure", "structure_id", type=click.IntRange(1), default=None)
    @click.option("--debut", required=True, help="Premier mois (2026-01).")
    @click.option("--fin", required=True, help="Dernier mois (2026-12).")
    @click.pass_obj
    def recompute(ctx, structure_id, debut, fin):
        """Recalculer les agrégats mensuels (toutes les structures par défaut)."""
        from virage.app import prepare_database
        from virage.indicators import service
        from virage.indicators.model import month_list

        db = prepare_database(ctx.settings, ctx.plugins)
        try:
            months = month_list(debut, fin)
            ids = [structure_id] if structure_id else service.structure_ids(db)
            for sid in ids:
                service.refresh(db, ctx.plugins, sid, months, everything=True)
            click.echo(f"{plural(ids, 'structure')}, {len(months)} mois recalculés.")
        except VirageError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            db.close()
