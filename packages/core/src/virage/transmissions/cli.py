"""Command line: the network's shared nomenclature of transmissions (targets and templates)."""

from __future__ import annotations

import click

from virage.audit.service import record
from virage.db import transaction
from virage.errors import Conflict, InvalidInput, NotFound
from virage.transmissions import service, storage
from virage.transmissions.targets import CATEGORIES, TransmissionTarget, TransmissionTemplate


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
        code = code.strip().lower()
        if not code.replace("_", "").isalnum() or not code.isascii() or not 2 <= len(code) <= 40:
            raise InvalidInput(
                "Le code d'une cible : 2 à 40 lettres minuscules sans accent, chiffres ou « _ »."
            )
        db = _db(ctx)
        with transaction(db):
            if not storage.upsert_target(
                db, TransmissionTarget(code, label.strip(), category, position), "réseau"
            ):
                raise Conflict(f"La cible « {code} » existe déjà (voir « --all »).")
            record(
                db,
                None,
                "transmissions.targets.added",
                target=code,
                actor_label="ligne de commande",
            )
        click.echo(f"Cible ajoutée : {code} — {label}")

    def _set_active(ctx, code, active):
        db = _db(ctx)
        if not storage.set_target_active(db, code, active):
            raise NotFound(
                f"Cible « {code} » introuvable (voir « virage transmissions targets list --all »)."
            )
        record(
            db,
            None,
            "transmissions.targets." + ("enabled" if active else "retired"),
            target=code,
            actor_label="ligne de commande",
        )

    @targets.command("retire")
    @click.argument("code")
    @click.pass_obj
    def targets_retire(ctx, code):
        """Retirer une cible des choix (les transmissions qui l'utilisent restent lisibles)."""
        _set_active(ctx, code, False)
        click.echo(f"Cible retirée des choix : {code}")

    @targets.command("restore")
    @click.argument("code")
    @click.pass_obj
    def targets_restore(ctx, code):
        """Remettre une cible retirée parmi les choix."""
        _set_active(ctx, code, True)
        click.echo(f"Cible de nouveau proposée : {code}")

    @transmissions.group()
    def templates() -> None:
        """Modèles DAR pour les cibles fréquentes."""

    @templates.command("list")
    @click.pass_obj
    def templates_list(ctx):
        """Lister les modèles."""
        for m in storage.list_templates(_db(ctx)):
            click.echo(f"{m['id']:>4}  {m['target']:<16} {m['label']} ({m['source']})")

    @templates.command("add")
    @click.argument("target")
    @click.argument("label")
    @click.option("--data", default="", help="Données pré-remplies")
    @click.option("--actions", default="", help="Actions pré-remplies")
    @click.option("--results", default="", help="Résultats pré-remplis")
    @click.pass_obj
    def templates_add(ctx, target, label, data, actions, results):
        """Ajouter un modèle pour une cible."""
        db = _db(ctx)
        if storage.get_target(db, target) is None:
            raise NotFound(
                f"Cible « {target} » introuvable (voir « virage transmissions targets list »)."
            )
        if not (data or actions or results):
            raise InvalidInput(
                "Un modèle vide n'aide personne : indiquez --data, --actions ou --results."
            )
        if not storage.upsert_template(
            db, TransmissionTemplate(target, label.strip(), data, actions, results), "réseau"
        ):
            raise Conflict(f"Un modèle « {label} » existe déjà pour la cible {target}.")
        record(
            db,
            None,
            "transmissions.templates.added",
            target=target,
            actor_label="ligne de commande",
        )
        click.echo(f"Modèle ajouté : {label} ({target})")
