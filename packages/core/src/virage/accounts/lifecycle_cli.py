"""Command-line equivalents of the account administration pages: ``virage users list``,
``invite``, ``reset-link``, ``deactivate``, ``reactivate``, ``add-role``, ``remove-role``,
``import``. The command line acts as the network administration; every action is recorded in the
journal (« ligne de commande »)."""

from __future__ import annotations

from pathlib import Path

import click

from virage.access import NETWORK_ADMIN_LABEL, ROLES
from virage.accounts import lifecycle, lifecycle_csv, links, storage
from virage.accounts.display import jour, moment
from virage.accounts.lifecycle_access import command_line
from virage.errors import InvalidInput, NotFound
from virage.french import plural


def _db(ctx):
    from virage.app import prepare_database

    return prepare_database(ctx.settings, ctx.plugins)


def _user(db, username: str) -> dict:
    user = storage.get_user_by_username(db, username.strip())
    if user is None:
        raise NotFound(f"Compte « {username} » introuvable (voir « virage users list »).")
    return user


def _structure(db, key: str) -> int:
    structure = storage.find_structure(db, key)
    if structure is None:
        raise NotFound(
            f"Structure « {key} » introuvable (numéro ou nom exact ; voir « virage structures list »)."
        )
    return structure["id"]


def _link(ctx, path: str) -> str:
    base = ctx.settings.public_url
    if base:
        return links.url(base, path)
    return path


def _echo_link(ctx, path: str, expires_at: str) -> None:
    click.echo(_link(ctx, path))
    if not ctx.settings.public_url:
        click.echo(
            "(VIRAGE_PUBLIC_URL n'est pas défini : ajoutez devant ce chemin l'adresse de Virage, "
            "par exemple https://virage.mon-reseau.fr)"
        )
    click.echo(f"Lien à usage unique, valable jusqu'au {moment(expires_at)}.")


ROLE_CHOICE = click.Choice(sorted(ROLES))


def register(users: click.Group) -> None:
    @users.command("list")
    @click.option("--structure", default=None, help="Structure (numéro ou nom exact)")
    @click.option("--role", type=ROLE_CHOICE, default=None, help="Rôle dans la structure")
    @click.option("--inactive", is_flag=True, help="Les comptes désactivés seulement")
    @click.option("--all", "everyone", is_flag=True, help="Actifs et désactivés")
    @click.pass_obj
    def users_list(ctx, structure, role, inactive, everyone):
        """Lister les comptes (actifs par défaut)."""
        db = _db(ctx)
        sid = _structure(db, structure) if structure else None
        state = "tous" if everyone else "inactifs" if inactive else "actifs"
        rows = lifecycle.list_accounts(command_line(db), structure_id=sid, role=role, state=state)
        for r in rows:
            roles = ", ".join(
                f"{m['structure']} : {ROLES.get(m['role'], m['role'])}" for m in r["memberships"]
            )
            flags = []
            if r["is_network_admin"]:
                flags.append(NETWORK_ADMIN_LABEL)
            if not r["active"]:
                flags.append(
                    f"désactivé le {jour(r['deactivated_at'])}"
                    if r["deactivated_at"]
                    else "désactivé"
                )
            elif r["invited"]:
                flags.append("invitation en attente")
            extra = f" [{'; '.join(flags)}]" if flags else ""
            click.echo(
                f"{r['id']:>5}  {r['username']:<24} {r['display_name']} — {roles or 'aucune structure'}{extra}"
            )
        click.echo(plural(rows, "compte") + ".")

    @users.command("invite")
    @click.option("--username", required=True, help="Identifiant de connexion")
    @click.option("--name", "display_name", required=True, help="Nom affiché (Prénom Nom)")
    @click.option("--structure", required=True, help="Structure (numéro ou nom exact)")
    @click.option("--role", type=ROLE_CHOICE, required=True, help="Rôle dans la structure")
    @click.option("--email", default=None, help="Courriel (facultatif)")
    @click.option("--profession", default=None)
    @click.option("--rpps", default=None, help="Numéro RPPS (11 chiffres)")
    @click.pass_obj
    def users_invite(ctx, username, display_name, structure, role, email, profession, rpps):
        """Créer un compte sans mot de passe et afficher le lien d'invitation à lui remettre."""
        db = _db(ctx)
        invitation = lifecycle.invite(
            command_line(db),
            username=username,
            display_name=display_name,
            structure_id=_structure(db, structure),
            role=role,
            email=email,
            profession=profession,
            rpps=rpps,
        )
        click.echo(
            f"Compte créé : {invitation.username} (n° {invitation.user_id}). Lien d'invitation :"
        )
        _echo_link(ctx, invitation.path, invitation.expires_at)

    @users.command("reset-link")
    @click.argument("username")
    @click.pass_obj
    def users_reset_link(ctx, username):
        """Créer un lien à usage unique pour choisir un nouveau mot de passe."""
        db = _db(ctx)
        path, expires_at = lifecycle.reset_link(command_line(db), _user(db, username)["id"])
        click.echo(f"Lien pour {username} (les liens précédents ne fonctionnent plus) :")
        _echo_link(ctx, path, expires_at)

    @users.command("deactivate")
    @click.argument("username")
    @click.pass_obj
    def users_deactivate(ctx, username):
        """Désactiver un compte : sessions fermées, jetons révoqués, connexion refusée."""
        db = _db(ctx)
        counts = lifecycle.deactivate(command_line(db), _user(db, username)["id"])
        click.echo(
            f"Compte {username} désactivé : "
            f"{plural(counts['sessions'], 'session fermée', 'sessions fermées')}, "
            f"{plural(counts['jetons'], 'jeton révoqué', 'jetons révoqués')}. "
            "Ce que la personne a écrit reste à son nom."
        )

    @users.command("reactivate")
    @click.argument("username")
    @click.pass_obj
    def users_reactivate(ctx, username):
        """Réactiver un compte désactivé (ses jetons d'API restent révoqués)."""
        db = _db(ctx)
        lifecycle.reactivate(command_line(db), _user(db, username)["id"])
        click.echo(f"Compte {username} réactivé.")

    @users.command("add-role")
    @click.argument("username")
    @click.option("--structure", required=True, help="Structure (numéro ou nom exact)")
    @click.option("--role", type=ROLE_CHOICE, required=True, help="Rôle dans la structure")
    @click.pass_obj
    def users_add_role(ctx, username, structure, role):
        """Ajouter un compte à une structure, ou changer son rôle dans une structure."""
        db = _db(ctx)
        manager, user_id = command_line(db), _user(db, username)["id"]
        sid = _structure(db, structure)
        if sid in storage.memberships_of(db, user_id):
            lifecycle.change_role(manager, user_id, sid, role)
            click.echo(f"{username} : rôle changé en {ROLES[role]}.")
        else:
            lifecycle.add_membership(manager, user_id, sid, role)
            click.echo(f"{username} ajouté·e à la structure avec le rôle {ROLES[role]}.")

    @users.command("remove-role")
    @click.argument("username")
    @click.option("--structure", required=True, help="Structure (numéro ou nom exact)")
    @click.pass_obj
    def users_remove_role(ctx, username, structure):
        """Retirer un compte d'une structure (ses jetons d'API pour elle sont révoqués)."""
        db = _db(ctx)
        lifecycle.remove_membership(
            command_line(db), _user(db, username)["id"], _structure(db, structure)
        )
        click.echo(f"{username} retiré·e de la structure.")

    @users.command("import")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.pass_obj
    def users_import(ctx, file):
        """Créer des comptes depuis un fichier CSV (identifiant;nom;courriel;profession;rpps;
        structure;rôle), un lien d'invitation par compte créé."""
        if not file.is_file():
            raise InvalidInput(f"Fichier {file} introuvable.")
        if file.stat().st_size > lifecycle_csv.MAX_BYTES:
            content = file.open("rb").read(lifecycle_csv.MAX_BYTES + 1)
        else:
            content = file.read_bytes()
        db = _db(ctx)
        report = lifecycle_csv.import_accounts(command_line(db), content)
        for line in report.lines:
            if line.created:
                click.echo(f"ligne {line.number} : {line.username} créé — {_link(ctx, line.path)}")
            else:
                click.echo(f"ligne {line.number} : {line.username or '?'} refusé — {line.message}")
        click.echo(report.summary)
        if report.created and not ctx.settings.public_url:
            click.echo(
                "(VIRAGE_PUBLIC_URL n'est pas défini : ajoutez devant chaque chemin l'adresse de Virage.)"
            )
