"""The agenda's section of « Réglages de la structure »: what calendar subscriptions show of a
person, and the kinds of appointment the structure uses (the others are not offered when
booking, and refused; appointments already booked keep their kind)."""

from __future__ import annotations

from markupsafe import Markup

from virage.accounts.settings_sections import SettingsForm, SettingsSection
from virage.agenda import kinds_storage
from virage.agenda.kinds import registry
from virage.agenda.privacy import PRIVACY, calendar_privacy, store_calendar_privacy
from virage.db import Database, Migration
from virage.errors import InvalidInput
from virage.plugins import hookimpl
from virage.web.templating import fragment_environment

_FIELDS = fragment_environment().from_string(
    """<fieldset><legend>Ce que montrent les abonnements de calendrier (téléphone, messagerie)</legend>
{% for value, label in privacy_choices.items() %}
<label><input type="radio" name="calendar_privacy" value="{{ value }}"{% if value == privacy %} checked{% endif %}> {{ label }}</label><br>
{% endfor %}</fieldset>
<fieldset><legend>Types de rendez-vous utilisés par la structure</legend>
{% for k in kinds %}
<label><input type="checkbox" name="kinds" value="{{ k.name }}"{% if k.name in in_use %} checked{% endif %}> {{ k.icon }} {{ k.label }}</label><br>
{% endfor %}
<p class="muted">Les types décochés ne sont plus proposés à la prise de rendez-vous ; les
rendez-vous déjà pris les gardent.</p></fieldset>"""
)


def kinds_in_use(db: Database, plugins, structure_id: int) -> list:
    """The kinds of appointment the structure uses (all but those it set aside)."""
    unused = kinds_storage.unused(db, structure_id)
    return [k for k in registry(plugins).values() if k.name not in unused]


def require_in_use(db: Database, structure_id: int, kind) -> None:
    if kind.name in kinds_storage.unused(db, structure_id):
        raise InvalidInput(
            f"La structure n'utilise pas les rendez-vous « {kind.label} » (voir ses réglages)."
        )


@hookimpl
def register_migrations():
    return [
        Migration(
            "core",
            "0106_agenda_kinds_in_use",
            kinds_storage.create_table,
            "Agenda : types de rendez-vous utilisés par chaque structure",
        )
    ]


@hookimpl
def structure_settings_sections(access, structure):
    db, sid, plugins = access.db, structure["id"], access.plugins
    kinds = list(registry(plugins).values())

    def render(form: SettingsForm | None) -> Markup:
        if form is not None:
            privacy, in_use = form.get("calendar_privacy"), set(form.getall("kinds"))
        else:
            privacy = calendar_privacy(db, [sid])[sid]
            in_use = {k.name for k in kinds_in_use(db, plugins, sid)}
        return Markup(
            _FIELDS.render(privacy_choices=PRIVACY, privacy=privacy, kinds=kinds, in_use=in_use)
        )

    def save(form: SettingsForm) -> dict:
        privacy = form.get("calendar_privacy")
        if privacy not in PRIVACY:
            raise InvalidInput("Choisissez ce que montrent les abonnements de calendrier.")
        known = {k.name for k in kinds}
        chosen = set(form.getall("kinds"))
        if chosen - known:
            raise InvalidInput("Type de rendez-vous inconnu : rechargez la page et recommencez.")
        if not chosen:
            raise InvalidInput("Gardez au moins un type de rendez-vous.")
        store_calendar_privacy(db, sid, privacy)
        kinds_storage.set_unused(db, sid, known - chosen)
        return {"abonnements": privacy, "types_non_utilises": sorted(known - chosen)}

    return [
        SettingsSection(
            "agenda",
            "Agenda",
            render,
            save,
            description="La confidentialité des abonnements de calendrier et les types de "
            "rendez-vous proposés.",
            order=40,
        )
    ]
