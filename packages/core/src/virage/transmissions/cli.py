"""Command line: the network's shared nomenclature of transmissions (targets and templates).

The checks and the audit are in :mod:`virage.transmissions.nomenclature_admin`, shared with the
administration page ``/administration/transmissions``."""

from __future__ import annotations

import click

from virage.errors import NotFound
from virage.transmissions import nomenclature_admin as admin
from virage.transmissions import nomenclature_storage as names
from virage.transmissions import service, storage
from virage.transmissions.targets import CATEGORIES


def _db(ctx):
    from virage.app import prepare_database

    db = prepare_database(ctx.settings, ctx.plugins)
    service.sync_nomenclature(db, ctx.plugins)
    return db


def register(cli: click.Group) -> None:
    @cli.group()
    def transmissions() -> None:
        """Transmissions : la nomenclature partagée du réseau (cibles, modèles)."""

    @transmissions.group()
    def targets() -> None:
        """Cibles (douleur, chute, alimentation…)."""

    @targets.command("list")
    @click.option("--all", "show_all", is_flag=True, help="Inclure les cibles retirées.")
    @click.pass_obj
    def targets_list(ctx, show_all):
        """Lister les cibles."""
        for t in storage.list_targets(_db(ctx), active_only=not show_all):
            state = "" if t["active"] else "  [retirée]"
            click.echo(
                f"{t['code']:<16} {t['label']:<30} {CATEGORIES[t['category']]:<16}"
                f" ({t['source']}){state}"
            )

    @targets.command("add")
    @click.argument("code")
    @click.argument("label")
    @click.option(
        "--category", type=click.Choice(sorted(CATEGORIES)), required=True, help="Catégorie"
    )
    @click.option("--position", type=int, default=500, show_default=True, help="Ordre d'affichage")
    @click.pass_obj
    def targets_add(ctx, code, label, category, position):
        """Ajouter une cible à la nomenclature du réseau."""
        code = admin.add_target(_db(ctx), admin.COMMAND_LINE, code, label, category, position)
        click.echo(f"Cible ajoutée : {code} — {label}")

    @targets.command("edit")
    @click.argument("code")
    @click.option("--label", default=None, help="Nouveau libellé")
    @click.option("--category", type=click.Choice(sorted(CATEGORIES)), default=None)
    @click.option("--position", type=int, default=None, help="Ordre d'affichage")
    @click.pass_obj
    def targets_edit(ctx, code, label, category, position):
        """Changer le libellé, la catégorie ou l'ordre d'une cible (son code ne change pas)."""
        db = _db(ctx)
        current = storage.get_target(db, code)
        if current is None:
            raise NotFound(f"Cible « {code} » introuvable (voir « --all »).")
        admin.update_target(
            db,
            admin.COMMAND_LINE,
            code,
            current["label"] if label is None else label,
            current["category"] if category is None else category,
            current["position"] if position is None else position,
        )
        click.echo(f"Cible modifiée : {code}")

    @targets.command("retire")
    @click.argument("code")
    @click.pass_obj
    def targets_retire(ctx, code):
        """Retirer une cible des choix (les transmissions qui l'utilisent restent lisibles)."""
        admin.set_target_active(_db(ctx), admin.COMMAND_LINE, code, False)
        click.echo(f"Cible retirée des choix : {code}")

    @targets.command("restore")
    @click.argument("code")
    @click.pass_obj
    def targets_restore(ctx, code):
        """Remettre une cible retirée parmi les choix."""
        admin.set_target_active(_db(ctx), admin.COMMAND_LINE, code, True)
        click.echo(f"Cible de nouveau proposée : {code}")

    @transmissions.group()
    def templates() -> None:
        """Modèles DAR pour les cibles fréquentes."""

    @templates.command("list")
    @click.option("--all", "show_all", is_flag=True, help="Inclure les modèles retirés.")
    @click.pass_obj
    def templates_list(ctx, show_all):
        """Lister les modèles."""
        db = _db(ctx)
        rows = names.all_templates(db) if show_all else storage.list_templates(db)
        for m in rows:
            state = "" if m.get("active", 1) else "  [retiré]"
            click.echo(f"{m['id']:>4}  {m['target']:<16} {m['label']} ({m['source']}){state}")

    @templates.command("add")
    @click.argument("target")
    @click.argument("label")
    @click.option("--data", default="", help="Données pré-remplies")
    @click.option("--actions", default="", help="Actions pré-remplies")
    @click.option("--results", default="", help="Résultats pré-remplis")
    @click.pass_obj
    def templates_add(ctx, target, label, data, actions, results):
        """Ajouter un modèle pour une cible."""
        admin.add_template(_db(ctx), admin.COMMAND_LINE, target, label, data, actions, results)
        click.echo(f"Modèle ajouté : {label} ({target})")

    @templates.command("retire")
    @click.argument("template_id", type=int)
    @click.pass_obj
    def templates_retire(ctx, template_id):
        """Retirer un modèle des choix."""
        admin.set_template_active(_db(ctx), admin.COMMAND_LINE, template_id, False)
        click.echo(f"Modèle retiré des choix : {template_id}")

    @templates.command("restore")
    @click.argument("template_id", type=int)
    @click.pass_obj
    def templates_restore(ctx, template_id):
        """Remettre un modèle retiré parmi les choix."""
        admin.set_template_active(_db(ctx), admin.COMMAND_LINE, template_id, True)
        click.echo(f"Modèle de nouveau proposé : {template_id}")
