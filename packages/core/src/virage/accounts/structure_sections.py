"""The accounts domain's own section of « Réglages de la structure »: how long the records of
persons whose support ended are kept (``retention_years``, used by ``virage persons purge``).
Registered by :mod:`virage.accounts.structures_plugin`."""

from __future__ import annotations

from markupsafe import Markup

from virage.accounts import structure_admin_storage as admin_store
from virage.accounts.settings_sections import SettingsForm, SettingsSection
from virage.errors import InvalidInput
from virage.plugins import hookimpl
from virage.web.templating import fragment_environment

MIN_YEARS, MAX_YEARS = 1, 30
_FIELDS = fragment_environment().from_string(
    """<div class="field"><label for="retention_years">Durée de conservation d'un dossier clos
(en années)</label>
<input id="retention_years" name="retention_years" inputmode="numeric" size="4"
 value="{{ value }}" required>
<p class="muted">Entre {{ low }} et {{ high }} ans. Au-delà, le dossier et ce qui s'y rattache sont
supprimés par la purge (le journal des accès est gardé). Vérifiez la durée qui s'applique à votre
structure avec votre DPO.</p></div>"""
)


def retention_years(raw: str) -> int:
    raw = (raw or "").strip()
    if not raw.isdigit() or not MIN_YEARS <= int(raw) <= MAX_YEARS:
        raise InvalidInput(
            f"Durée de conservation : un nombre entier d'années, entre {MIN_YEARS} et {MAX_YEARS}."
        )
    return int(raw)


@hookimpl
def structure_settings_sections(access, structure):
    db, sid = access.db, structure["id"]

    def render(form: SettingsForm | None) -> Markup:
        value = form.get("retention_years") if form else structure["retention_years"]
        return Markup(_FIELDS.render(value=value, low=MIN_YEARS, high=MAX_YEARS))

    def save(form: SettingsForm) -> dict:
        years = retention_years(form.get("retention_years"))
        admin_store.set_retention_years(db, sid, years)
        return {"conservation_annees": years, "avant": structure["retention_years"]}

    return [
        SettingsSection(
            "conservation",
            "Conservation des dossiers",
            render,
            save,
            description="Combien de temps garder le dossier d'une personne après la fin de son "
            "accompagnement.",
            order=20,
        )
    ]
