"""« Ce qui est enregistré sur moi »: what the kiosk plugin records about a worker — never a
count nor a pace, only the lines themselves."""

from __future__ import annotations

from markupsafe import Markup

from virage.sdk import Database, PageSection, day_text
from virage_kiosk import storage
from virage_kiosk.arrivals import KEEP_DAYS, number_text


def section(db: Database, user_id: int) -> PageSection:
    tickets, devices = storage.of_worker(db, user_id)
    items = []
    for t in tickets:
        steps = [
            label
            for column, label in (
                ("called_by", "appelé par vous"),
                ("verified_by", "identité vérifiée par vous"),
            )
            if t[column] == user_id
        ]
        items.append(
            Markup("<li>Ticket {} du {} : {}</li>").format(
                number_text(t["number"]), day_text(t["day"]), ", ".join(steps)
            )
        )
    for d in devices:
        steps = [
            label
            for column, label in (
                ("created_by", "enregistré par vous"),
                ("revoked_by", "révoqué par vous"),
            )
            if d[column] == user_id
        ]
        items.append(
            Markup("<li>Appareil « {} » (n° {}) : {}</li>").format(
                d["name"], d["id"], ", ".join(steps)
            )
        )
    html = Markup(
        "<p>Ce que la borne d'accueil enregistre sur vous : les numéros que vous appelez et les "
        "identités que vous vérifiez à l'accueil (gardés {} jours), les bornes et écrans que vous "
        "enregistrez ou révoquez. Rien d'autre, et aucun décompte.</p><ul>"
    ).format(KEEP_DAYS)
    html += Markup("").join(items) or Markup("<li>Rien.</li>")
    html += Markup("</ul>")
    return PageSection("Borne d'accueil", html, "kiosk", 70)
