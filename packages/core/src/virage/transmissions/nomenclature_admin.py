"""Managing the network's shared nomenclature of transmissions: the one place for its checks.

Used by the administration page (``/administration/transmissions``, network administrator) and
the command line (``virage transmissions targets|templates …``). Nothing is ever deleted: a target
or template is retired (no longer offered at writing) and can be put back; transmissions written
with a retired target keep it and stay readable. Every change is written to the audit trail
(``actor`` is ``None`` for the command line, with ``actor_label``).
"""

from __future__ import annotations

from dataclasses import dataclass

from virage.access import Actor
from virage.audit.service import record
from virage.db import Database, transaction
from virage.errors import Conflict, InvalidInput, NotFound
from virage.transmissions import nomenclature_storage as names
from virage.transmissions.targets import CATEGORIES, TransmissionTarget, TransmissionTemplate

LABEL_MAX = 80
TEXT_MAX = 4000
POSITION_RANGE = (0, 10_000)
TARGET_NOT_FOUND = "Cible « {code} » introuvable."
TEMPLATE_NOT_FOUND = "Ce modèle de transmission n'existe pas."


@dataclass(frozen=True)
class Author:
    """Who changes the nomenclature: an actor (web) or the command line (``actor=None``)."""

    actor: Actor | None
    label: str | None = None


COMMAND_LINE = Author(None, "ligne de commande")


def clean_code(raw: str) -> str:
    code = (raw or "").strip().lower()
    if not code.replace("_", "").isalnum() or not code.isascii() or not 2 <= len(code) <= 40:
        raise InvalidInput(
            "Le code d'une cible : 2 à 40 lettres minuscules sans accent, chiffres ou « _ »."
        )
    return code


def _label(raw: str, what: str) -> str:
    label = " ".join((raw or "").split())
    if not 1 <= len(label) <= LABEL_MAX:
        raise InvalidInput(f"{what} : de 1 à {LABEL_MAX} caractères.")
    return label


def _category(raw: str) -> str:
    if raw not in CATEGORIES:
        raise InvalidInput("Catégorie : choisissez " + ", ".join(CATEGORIES.values()) + ".")
    return raw


def _position(raw: int | str) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = -1
    low, high = POSITION_RANGE
    if not low <= value <= high:
        raise InvalidInput("Ordre d'affichage : un nombre entier de 0 à 10 000 (petit = en tête).")
    return value


def _text(raw: str, what: str) -> str:
    text = (raw or "").strip()
    if len(text) > TEXT_MAX:
        raise InvalidInput(f"{what} : {TEXT_MAX} caractères au plus.")
    return text


def _record(db: Database, by: Author, action: str, target: str, details: dict) -> None:
    record(db, by.actor, action, target=target, details=details, actor_label=by.label)


def add_target(
    db: Database, by: Author, code: str, label: str, category: str, position: int | str = 500
) -> str:
    """Add a target to the network's nomenclature; its code, or ``Conflict`` if it exists."""
    target = TransmissionTarget(
        clean_code(code), _label(label, "Libellé"), _category(category), _position(position)
    )
    with transaction(db):
        if not names.upsert_target(db, target, "réseau"):
            raise Conflict(f"La cible « {target.code} » existe déjà (peut-être retirée).")
        _record(
            db,
            by,
            "transmissions.targets.added",
            f"transmission_target:{target.code}",
            {"libelle": target.label, "categorie": target.category, "ordre": target.position},
        )
    return target.code


def update_target(
    db: Database, by: Author, code: str, label: str, category: str, position: int | str
) -> None:
    """Change a target's label, default category and display order (its code never changes)."""
    label, category, order = _label(label, "Libellé"), _category(category), _position(position)
    with transaction(db):
        before = names.get_target(db, code)
        if before is None or not names.update_target(db, code, label, category, order):
            raise NotFound(TARGET_NOT_FOUND.format(code=code))
        _record(
            db,
            by,
            "transmissions.targets.updated",
            f"transmission_target:{code}",
            {
                "libelle": [before["label"], label],
                "categorie": [before["category"], category],
                "ordre": [before["position"], order],
            },
        )


def set_target_active(db: Database, by: Author, code: str, active: bool) -> None:
    """Retire a target (no longer offered; transmissions using it stay readable) or put it back."""
    with transaction(db):
        if not names.set_target_active(db, code, active):
            raise NotFound(TARGET_NOT_FOUND.format(code=code))
        if active:
            _record(db, by, "transmissions.targets.enabled", f"transmission_target:{code}", {})
        else:
            _record(db, by, "transmissions.targets.retired", f"transmission_target:{code}", {})


def _template(target: str, label: str, data: str, actions: str, results: str):
    template = TransmissionTemplate(
        target,
        _label(label, "Nom du modèle"),
        _text(data, "Données"),
        _text(actions, "Actions"),
        _text(results, "Résultats"),
    )
    if not (template.data or template.actions or template.results):
        raise InvalidInput(
            "Un modèle vide n'aide personne : pré-remplissez les données, les actions ou les "
            "résultats."
        )
    return template


def add_template(
    db: Database,
    by: Author,
    target: str,
    label: str,
    data: str = "",
    actions: str = "",
    results: str = "",
) -> None:
    """Add a DAR template to a target of the nomenclature."""
    if names.get_target(db, target) is None:
        raise NotFound(TARGET_NOT_FOUND.format(code=target))
    template = _template(target, label, data, actions, results)
    with transaction(db):
        if not names.upsert_template(db, template, "réseau"):
            raise Conflict(f"Un modèle « {template.label} » existe déjà pour cette cible.")
        _record(
            db,
            by,
            "transmissions.templates.added",
            f"transmission_target:{target}",
            {"modele": template.label},
        )


def update_template(
    db: Database,
    by: Author,
    template_id: int,
    label: str,
    data: str = "",
    actions: str = "",
    results: str = "",
) -> None:
    before = names.get_any_template(db, template_id)
    if before is None:
        raise NotFound(TEMPLATE_NOT_FOUND)
    template = _template(before["target"], label, data, actions, results)
    with transaction(db):
        if names.template_label_taken(db, before["target"], template.label, template_id):
            raise Conflict(f"Un modèle « {template.label} » existe déjà pour cette cible.")
        names.update_template(db, template_id, template)
        _record(
            db,
            by,
            "transmissions.templates.updated",
            f"transmission_template:{template_id}",
            {"modele": [before["label"], template.label]},
        )


def set_template_active(db: Database, by: Author, template_id: int, active: bool) -> None:
    with transaction(db):
        if not names.set_template_active(db, template_id, active):
            raise NotFound(TEMPLATE_NOT_FOUND)
        target = f"transmission_template:{template_id}"
        if active:
            _record(db, by, "transmissions.templates.enabled", target, {})
        else:
            _record(db, by, "transmissions.templates.retired", target, {})


def nomenclature(db: Database) -> tuple[list, list]:
    """Every target (retired ones too) and every template, for the network's administration page."""
    return names.list_targets(db, active_only=False), names.all_templates(db)
