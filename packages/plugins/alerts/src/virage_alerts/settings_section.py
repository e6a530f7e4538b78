"""The alerts' section of « Réglages de la structure »: after how many minutes an alert nobody
took is widened to the next level (binôme → équipe de nuit → cadre d'astreinte)."""

from __future__ import annotations

from markupsafe import Markup

from virage.sdk import InvalidInput, SettingsForm, SettingsSection, fragment_environment
from virage_alerts import storage

_FIELDS = fragment_environment().from_string(
    """<label for="alerts-minutes">Minutes avant d'élargir une alerte que personne n'a prise</label>
<input id="alerts-minutes" name="escalation_minutes" type="number" min="1" max="30" required value="{{ minutes }}">
<p class="muted">Binôme de l'unité, puis toute l'équipe de nuit, puis le cadre d'astreinte
(postes de nuit et astreintes de l'agenda).</p>"""
)


def sections(access, structure) -> list[SettingsSection] | None:
    if not access.allowed("alerts.manage", structure_id=structure["id"]):
        return None
    db, sid = access.db, structure["id"]

    def render(form: SettingsForm | None) -> Markup:
        minutes = form.get("escalation_minutes") if form else storage.escalation_minutes(db, sid)
        return Markup(_FIELDS.render(minutes=minutes))

    def save(form: SettingsForm) -> dict:
        raw = form.get("escalation_minutes").strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 30:
            raise InvalidInput("Délai avant d'élargir une alerte : un nombre de minutes de 1 à 30.")
        storage.set_escalation_minutes(db, sid, int(raw))
        return {"minutes_avant_elargissement": int(raw)}

    return [
        SettingsSection(
            "alerts",
            "Alertes de nuit",
            render,
            save,
            description="Le délai au bout duquel une alerte non prise est élargie.",
            order=60,
        )
    ]
