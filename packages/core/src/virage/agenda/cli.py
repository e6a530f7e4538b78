"""Command line of the agenda: horizon of recurring series, calendar privacy, ``.ics`` import."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click

from virage.access import Registry
from virage.accounts import lookups
from virage.accounts import service as accounts_service
from virage.accounts.context import AccessContext
from virage.agenda import importing, privacy, series
from virage.agenda.kinds import registry
from virage.db import utcnow
from virage.errors import InvalidInput, NotFound
from virage.french import plural


def _db(ctx):
    from virage.app import prepare_database

    return prepare_database(ctx.settings, ctx.plugins)


def _structure(db, key: str) -> dict:
    structure = lookups.find_structure(db, key)
    if structure is None:
        raise NotFound(f"Structure « {key} » introuvable (numéro ou nom exact).")
    return structure


def register(cli: click.Group) -> None:
    @cli.group()
    def agenda() -> None:
        """Agenda partagé : séries, abonnements, import iCalendar."""

    @agenda.command("materialise")
    @click.option(
        "--days",
        default=400,
        show_default=True,
        type=click.IntRange(1, 3660),
        help="Préparer les rendez-vous répétés jusqu'à ce nombre de jours.",
    )
    @click.pass_obj
    def materialise(ctx, days):
        """Préparer à l'avance les occurrences des séries sans fin (à lancer chaque mois)."""
        db = _db(ctx)
        added = series.ensure_materialised(
            db, registry(ctx.plugins), utcnow() + timedelta(days=days)
        )
        click.echo(f"{plural(added, 'rendez-vous préparé', 'rendez-vous préparés')}.")

    @agenda.command("privacy")
    @click.argument("structure")
    @click.argument("value", type=click.Choice(sorted(privacy.PRIVACY)))
    @click.pass_obj
    def privacy_command(ctx, structure, value):
        """Ce que montrent des personnes les abonnements de calendrier d'une structure."""
        db = _db(ctx)
        sid = _structure(db, structure)["id"]
        privacy.store_calendar_privacy(db, sid, value)
        from virage.audit.service import record

        record(
            db,
            None,
            "agenda.settings.privacy",
            structure_id=sid,
            details={"valeur": value},
            actor_label="ligne de commande",
        )
        click.echo(f"Abonnements de calendrier : {privacy.PRIVACY[value].lower()}.")

    @agenda.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--structure", required=True, help="Structure (numéro ou nom exact)")
    @click.option("--as", "username", required=True, help="Compte qui importe (ses droits)")
    @click.option(
        "--professional",
        "professionals",
        multiple=True,
        required=True,
        help="Identifiant du professionnel (répétable)",
    )
    @click.option("--kind", default="meeting", show_default=True, help="Type des rendez-vous")
    @click.option("--dry-run", is_flag=True, help="Simuler sans rien enregistrer")
    @click.pass_obj
    def import_ics(ctx, path, structure, username, professionals, kind, dry_run):
        """Importer un fichier .ics et afficher le rapport (créés, refusés et pourquoi)."""
        db = _db(ctx)
        sid = _structure(db, structure)["id"]
        user = lookups.user_by_username(db, username)
        if user is None:
            raise NotFound(f"Compte « {username} » introuvable.")
        ids = []
        for name in professionals:
            pro = lookups.user_by_username(db, name)
            if pro is None:
                raise InvalidInput(f"Professionnel « {name} » introuvable.")
            ids.append(pro["id"])
        registry_ = Registry([])
        for _plugin, perm in ctx.plugins.call_per_plugin("register_permissions"):
            registry_.add(perm)
        actor = accounts_service.actor_for_user(db, user, via="cli")
        access = AccessContext(db, registry_, actor, route="virage agenda import")
        report = importing.import_calendar(
            access,
            ctx.plugins,
            sid,
            path.read_bytes(),
            professional_ids=ids,
            kind=kind,
            dry_run=dry_run,
        )
        one, many = ("serait créé", "seraient créés") if dry_run else ("créé", "créés")
        click.echo(
            f"{plural(report['created'], 'rendez-vous ' + one, 'rendez-vous ' + many)}, "
            f"{plural(report['rejected'], 'refusé')}."
        )
        for line in report["rejected"]:
            click.echo(f"  refusé : {line['summary'] or line['uid'] or '?'} — {line['reason']}")
