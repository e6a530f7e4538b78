"""Command-line administration: structures, users (password, second factor), API tokens,
retention purge."""

from __future__ import annotations

import click

from virage.access import ROLES
from virage.accounts import lifecycle_cli, persons, second_factor, service, storage
from virage.audit.service import record
from virage.errors import NotFound
from virage.french import plural


def _db(ctx):
    from virage.app import prepare_database

    return prepare_database(ctx.settings, ctx.plugins)


def _structure(db, key: str) -> dict:
    structure = storage.find_structure(db, key)
    if structure is None:
        raise NotFound(
            f"Structure « {key} » introuvable (numéro ou nom exact ; voir « virage structures list »)."
        )
    return structure


def register(cli: click.Group) -> None:
    @cli.group()
    def structures() -> None:
        """Structures (unités propriétaires des données)."""

    @structures.command("create")
    @click.argument("name")
    @click.option("--kind", required=True, help="Type : SSIAD, SAAD, EHPAD, service social…")
    @click.option("--finess", default=None, help="Numéro FINESS de l'établissement")
    @click.pass_obj
    def structures_create(ctx, name, kind, finess):
        """Créer une structure."""
        db = _db(ctx)
        sid = storage.create_structure(db, name.strip(), kind.strip(), finess)
        record(db, None, "structures.created", structure_id=sid, actor_label="ligne de commande")
        click.echo(f"Structure créée : n° {sid} — {name}")

    @structures.command("list")
    @click.pass_obj
    def structures_list(ctx):
        """Lister les structures."""
        for s in storage.list_structures(_db(ctx)):
            click.echo(f"{s['id']:>4}  {s['kind']:<10} {s['name']}")

    @cli.group()
    def users() -> None:
        """Comptes des professionnels."""

    lifecycle_cli.register(users)

    @users.command("create")
    @click.option("--username", required=True, help="Identifiant de connexion")
    @click.option("--name", "display_name", required=True, help="Nom affiché (Prénom Nom)")
    @click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="Mot de passe (demandé si absent ; 10 caractères au moins)",
    )
    @click.option("--structure", default=None, help="Structure (numéro ou nom exact)")
    @click.option(
        "--role", type=click.Choice(sorted(ROLES)), default=None, help="Rôle dans la structure"
    )
    @click.option("--network-admin", is_flag=True, help="Administrateur·rice du réseau")
    @click.option("--profession", default=None)
    @click.pass_obj
    def users_create(
        ctx, username, display_name, password, structure, role, network_admin, profession
    ):
        """Créer un compte (le premier : --network-admin)."""
        db = _db(ctx)
        sid = _structure(db, structure)["id"] if structure else None
        uid = service.create_user(
            db,
            username=username,
            display_name=display_name,
            password=password,
            structure_id=sid,
            role=role,
            is_network_admin=network_admin,
            profession=profession,
        )
        record(
            db,
            None,
            "users.created",
            structure_id=sid,
            target=f"user:{uid}",
            actor_label="ligne de commande",
        )
        click.echo(f"Compte créé : {username} (n° {uid})")

    @users.command("password")
    @click.argument("username")
    @click.option(
        "--password",
        prompt="Nouveau mot de passe",
        hide_input=True,
        confirmation_prompt=True,
        help="Nouveau mot de passe (demandé si absent)",
    )
    @click.pass_obj
    def users_password(ctx, username, password):
        """Réinitialiser le mot de passe d'un compte (ferme ses sessions ouvertes)."""
        db = _db(ctx)
        user = storage.get_user_by_username(db, username)
        if user is None:
            raise NotFound(f"Compte « {username} » introuvable.")
        service.reset_password(db, user["id"], password)
        record(
            db,
            None,
            "users.password_reset",
            target=f"user:{user['id']}",
            actor_label="ligne de commande",
        )
        click.echo(f"Mot de passe de {username} réinitialisé ; ses sessions ont été fermées.")

    @users.command("reset-2fa")
    @click.argument("username")
    @click.pass_obj
    def users_reset_2fa(ctx, username):
        """Réinitialiser le second facteur d'un compte (téléphone perdu, clé égarée)."""
        db = _db(ctx)
        user = storage.get_user_by_username(db, username)
        if user is None:
            raise NotFound(f"Compte « {username} » introuvable.")
        before = second_factor.reset(db, user["id"])
        record(
            db,
            None,
            "accounts.second_factor.reset",
            target=f"user:{user['id']}",
            actor_label="ligne de commande",
            details={
                "application": before.app,
                "cles": len(before.keys),
                "codes_de_secours_restants": before.recovery_unused,
            },
        )
        if not before.enrolled and not before.recovery_unused:
            click.echo(f"{username} n'avait pas de second facteur ; ses sessions ont été fermées.")
            return
        click.echo(
            f"Second facteur de {username} réinitialisé (application, clés et codes de secours "
            "effacés) ; ses sessions ont été fermées. À sa prochaine connexion, il ou elle en "
            "enregistrera un nouveau : si son mot de passe a pu être vu, changez-le aussi "
            f"(virage users password {username})."
        )

    @cli.group()
    def tokens() -> None:
        """Jetons d'API des logiciels partenaires."""

    @tokens.command("create")
    @click.option("--user", "username", required=True, help="Compte au nom duquel le jeton agit")
    @click.option("--structure", required=True, help="Structure (numéro ou nom exact)")
    @click.option("--name", required=True, help="Nom du jeton (logiciel, usage)")
    @click.pass_obj
    def tokens_create(ctx, username, structure, name):
        """Créer un jeton d'API (affiché une seule fois)."""
        db = _db(ctx)
        user = storage.get_user_by_username(db, username)
        if user is None:
            raise NotFound(f"Compte « {username} » introuvable.")
        sid = _structure(db, structure)["id"]
        token_id, secret = service.create_token(db, user["id"], sid, name)
        record(
            db,
            None,
            "tokens.created",
            structure_id=sid,
            target=f"token:{token_id}",
            actor_label="ligne de commande",
        )
        click.echo(f"Jeton n° {token_id} créé. Copiez-le, il ne sera plus affiché :")
        click.echo(secret)

    @tokens.command("revoke")
    @click.argument("token_id", type=int)
    @click.pass_obj
    def tokens_revoke(ctx, token_id):
        """Révoquer un jeton d'API."""
        db = _db(ctx)
        token = storage.get_token(db, token_id)
        service.revoke_token(db, token_id)
        record(
            db,
            None,
            "tokens.revoked",
            structure_id=token["structure_id"],
            target=f"token:{token_id}",
            actor_label="ligne de commande",
        )
        click.echo(f"Jeton n° {token_id} révoqué.")

    @cli.group("persons")
    def persons_group() -> None:
        """Personnes accompagnées : règle de conservation."""

    @persons_group.command("purge")
    @click.option("--apply", is_flag=True, help="Supprimer vraiment (sinon : simple liste)")
    @click.pass_obj
    def persons_purge(ctx, apply):
        """Supprimer les dossiers clos depuis plus que la durée de conservation de leur structure."""
        db = _db(ctx)
        removed = persons.purge_expired(db, ctx.plugins, dry_run=not apply)
        verb = "supprimé" if apply else "à supprimer"
        for sid, pid in removed:
            click.echo(f"dossier n° {pid} (structure {sid}) : {verb}")
        click.echo(
            f"{plural(removed, 'dossier ' + verb, 'dossiers ' + ('supprimés' if apply else verb))}."
            + ("" if apply else " Relancez avec --apply pour supprimer.")
        )
