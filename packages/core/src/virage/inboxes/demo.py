"""The demo territory's on-call inbox (``virage demo``): « Astreinte SSIAD » of the SSIAD du
Val-de-Loue over last night — a message from the hospital taken and closed by Nadia, one taken and
answered, one nobody took in time that went to the direction. All fictitious."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from virage.accounts import lookups
from virage.agenda.timeutil import PARIS, iso
from virage.db import Database, transaction
from virage.inboxes import storage
from virage.inboxes.settings import InboxSettings, seed

SSIAD = "SSIAD du Val-de-Loue"
ADDRESS = "astreinte.ssiad@val-de-loue.mssante.fr"


def _night(hour: int, minute: int) -> str:
    day = date.today() - timedelta(days=1 if hour >= 12 else 0)
    return iso(datetime.combine(day, time(hour, minute), PARIS))


def create(db: Database) -> list[str]:
    ssiad = lookups.find_structure(db, SSIAD)
    nadia = lookups.user_by_username(db, "nadia.nuit")
    claire = lookups.user_by_username(db, "claire.direction")
    if ssiad is None or nadia is None or claire is None:
        return []
    with transaction(db):
        inbox_id = seed(
            db, ssiad["id"], InboxSettings(name="Astreinte SSIAD", external_address=ADDRESS)
        )
        items = [
            (
                "urgences@ch-val-de-loue.mssante.fr",
                "Retour à domicile ce soir",
                "Patient rentré à 21 h 30 après une chute sans fracture. Merci de prévoir un "
                "passage demain matin.",
                (22, 10),
                "closed",
                "Passage ajouté à la tournée de 8 h",
            ),
            (
                "Léa (secrétariat)",
                "Famille à rappeler",
                "La fille d'un patient demande à être rappelée au sujet du matériel livré lundi.",
                (23, 40),
                "claimed",
                None,
            ),
            (
                "pharmacie@officine-loue.mssante.fr",
                "Livraison décalée",
                "La livraison prévue à 7 h est décalée à 10 h.",
                (3, 15),
                "open",
                None,
            ),
        ]
        for n, (sender, subject, body, (h, m), status, outcome) in enumerate(items, 1):
            at = _night(h, m)
            external = "@" in sender
            values = {
                "inbox_id": inbox_id,
                "structure_id": ssiad["id"],
                "source": "external" if external else "internal",
                "message_id": f"<demo-{n}@val-de-loue.mssante.fr>" if external else None,
                "sender": sender,
                "subject": subject,
                "body": body,
                "received_at": at,
                "status": status,
                "routed_to": nadia["id"],
                "routed_to_label": nadia["display_name"],
                "routed_at": at,
                "on_call_user_id": nadia["id"],
            }
            if status != "open":
                values.update(
                    claimed_by=nadia["id"], claimed_by_label=nadia["display_name"], claimed_at=at
                )
            if status == "closed":
                values.update(
                    closed_by=nadia["id"],
                    closed_by_label=nadia["display_name"],
                    closed_at=at,
                    outcome=outcome,
                )
            item_id = storage.add_item(db, values)
            item = storage.item(db, item_id)
            storage.add_routing(db, item, nadia["id"], "routed", at)
            if status == "claimed":
                storage.add_answer(
                    db,
                    item,
                    nadia["id"],
                    nadia["display_name"],
                    "Je la rappelle demain à 9 h.",
                    False,
                    at,
                )
            if status == "open":  # nobody took it in time: it went to the direction
                later = _night(h, m + 15)
                storage.update_item(
                    db,
                    item_id,
                    {
                        "routed_to": claire["id"],
                        "routed_to_label": claire["display_name"],
                        "routed_at": later,
                        "escalation_level": 1,
                    },
                )
                storage.add_routing(db, item, claire["id"], "escalated", later)
    return [f"Boîte d'astreinte : /boites/{inbox_id} (nadia.nuit, claire.direction)."]
