"""``virage alertes``: simulate a device's event through the signed webhook's code path (the
demo, the tests), and widen the alerts waiting too long (for a scheduler)."""

from __future__ import annotations

import json
import uuid

import click

from virage.sdk import NotFound, plural, prepare_database
from virage_alerts import background, clock, intake, signing, storage

TYPES = ("chute", "appel", "aide", "test")


def register(cli) -> None:
    @cli.group("alertes")
    def alertes() -> None:
        """Alertes de nuit : simuler un capteur, élargir les alertes en attente."""

    @alertes.command("simuler")
    @click.option("--capteur", "device_id", type=int, required=True, help="Numéro du capteur")
    @click.option("--type", "kind", type=click.Choice(TYPES), default="chute", show_default=True)
    @click.option("--id", "event_id", default="", help="Identifiant d'événement (rejouer)")
    @click.pass_obj
    def simulate(ctx, device_id: int, kind: str, event_id: str) -> None:
        """Envoyer un événement signé comme le ferait le capteur (format générique)."""
        db = prepare_database(ctx.settings, ctx.plugins)
        try:
            device = storage.device(db, device_id)
            if device is None or device["revoked_at"]:
                raise NotFound(f"Capteur n° {device_id} introuvable ou révoqué.")
            secret = signing.device_secret(ctx.settings.secret_key, device_id, device["salt"])
            body = json.dumps(
                {"id": event_id or f"sim-{uuid.uuid4().hex[:12]}", "type": kind}
            ).encode()
            headers = {
                k.lower(): v
                for k, v in signing.headers(
                    device_id, secret, int(clock.now().timestamp()), body
                ).items()
            }
            got = intake.receive(db, ctx.settings.secret_key, ctx.plugins, headers, body)
            word = "déjà reçu (aucune nouvelle alerte)" if got.duplicate else "alerte créée"
            click.echo(f"Chambre {device['room']} : {word}, alerte n° {got.alert_id}.")
        finally:
            db.close()

    @alertes.command("escalader")
    @click.pass_obj
    def escalate(ctx) -> None:
        """Élargir les alertes que personne n'a prises à temps (à lancer chaque minute)."""
        db = prepare_database(ctx.settings, ctx.plugins)
        try:
            moved = background.run_once(db)
            click.echo(f"{plural(moved, 'alerte élargie')}.")
        finally:
            db.close()
