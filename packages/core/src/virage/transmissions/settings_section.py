"""The transmissions' section of « Réglages de la structure »: which targets (« cibles ») and
templates of the network's shared nomenclature the structure uses. Those set aside are no longer
offered on its writing form; transmissions already written keep their target and stay readable.
The shared list itself is the network administrator's (``/administration/transmissions``)."""

from __future__ import annotations

from markupsafe import Markup

from virage.accounts.settings_sections import SettingsForm, SettingsSection
from virage.db import Database, Migration
from virage.errors import InvalidInput
from virage.plugins import hookimpl
from virage.transmissions import nomenclature_storage as names
from virage.transmissions import structure_choice_storage as choice
from virage.web.templating import fragment_environment

_FIELDS = fragment_environment().from_string(
    """<fieldset><legend>Cibles proposées à l'écriture</legend>
{% for t in targets %}
<label><input type="checkbox" name="targets" value="{{ t.code }}"{% if t.code in targets_in_use %} checked{% endif %}> {{ t.label }}</label><br>
{% endfor %}</fieldset>
{% if templates %}<fieldset><legend>Modèles proposés</legend>
{% for m in templates %}
<label><input type="checkbox" name="templates" value="{{ m.id }}"{% if m.id|string in templates_in_use %} checked{% endif %}> {{ m.label }} <span class="muted">({{ labels.get(m.target, m.target) }})</span></label><br>
{% endfor %}</fieldset>{% endif %}"""
)


def filter_for_structure(db: Database, structure_id: int, nomenclature: dict) -> dict:
    """The nomenclature as the structure uses it (the writing form's choices)."""
    unused = choice.unused(db, structure_id)
    targets = [t for t in nomenclature["targets"] if t["code"] not in unused["target"]]
    codes = {t["code"] for t in targets}
    templates = [
        m
        for m in nomenclature["templates"]
        if m["target"] in codes and str(m["id"]) not in unused["template"]
    ]
    return {**nomenclature, "targets": targets, "templates": templates}


@hookimpl
def register_migrations():
    return [
        Migration(
            "core",
            "0107_transmissions_in_use",
            choice.create_table,
            "Transmissions : cibles et modèles utilisés par chaque structure",
        )
    ]


@hookimpl
def structure_settings_sections(access, structure):
    db, sid = access.db, structure["id"]
    targets, templates = names.list_targets(db), names.list_templates(db)

    def render(form: SettingsForm | None) -> Markup:
        if form is not None:
            t_in, m_in = set(form.getall("targets")), set(form.getall("templates"))
        else:
            unused = choice.unused(db, sid)
            t_in = {t["code"] for t in targets} - unused["target"]
            m_in = {str(m["id"]) for m in templates} - unused["template"]
        return Markup(
            _FIELDS.render(
                targets=targets,
                templates=templates,
                targets_in_use=t_in,
                templates_in_use=m_in,
                labels={t["code"]: t["label"] for t in targets},
            )
        )

    def save(form: SettingsForm) -> dict:
        codes = {t["code"] for t in targets}
        ids = {str(m["id"]) for m in templates}
        t_in, m_in = set(form.getall("targets")), set(form.getall("templates"))
        if t_in - codes or m_in - ids:
            raise InvalidInput("Cible ou modèle inconnu : rechargez la page et recommencez.")
        if not t_in:
            raise InvalidInput("Gardez au moins une cible de transmission.")
        choice.set_unused(db, sid, codes - t_in, ids - m_in)
        return {
            "cibles_non_utilisees": sorted(codes - t_in),
            "modeles_non_utilises": sorted(ids - m_in),
        }

    return [
        SettingsSection(
            "transmissions",
            "Transmissions",
            render,
            save,
            description="Les cibles et les modèles du référentiel du réseau que la structure "
            "propose à l'écriture.",
            order=50,
        )
    ]
