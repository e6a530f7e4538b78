"""The shared nomenclature of transmissions: targets ("cibles") and DAR templates.

The core's own and the plugins' arrive through the hook ``register_transmission_targets``, added
at start-up by :func:`sync_nomenclature`; the network's administrator retires or renames them
(command line). Importable from :mod:`virage.transmissions.service` too.
"""

from __future__ import annotations

from typing import Any

from virage.db import Database, transaction
from virage.plugins import PluginHost
from virage.transmissions import storage
from virage.transmissions.targets import (
    CATEGORIES,
    PRIORITIES,
    TransmissionTarget,
    TransmissionTemplate,
)

HOOK = "register_transmission_targets"


def nomenclature(db: Database) -> dict[str, Any]:
    """The active targets and templates, the categories and the priorities (the form's choices)."""
    return {
        "targets": storage.list_targets(db),
        "templates": storage.list_templates(db),
        "categories": CATEGORIES,
        "priorities": PRIORITIES,
    }


def all_targets(db: Database) -> list[dict]:
    """Every target, retired ones included (filters of a thread written over the years)."""
    return storage.list_targets(db, active_only=False)


def template(db: Database, template_id: int) -> dict | None:
    """One active template, or ``None``."""
    return storage.get_template(db, template_id)


def sync_nomenclature(db: Database, plugins: PluginHost) -> list[str]:
    """Add the targets and templates contributed by plugins (hook ``register_transmission_targets``).

    New codes are added; existing ones are left as the network configured them. A contribution
    that is neither a target nor a template, a target the database refuses or a template of an
    unknown target is reported as a failure of its plugin (``virage plugins``).
    """
    added = []
    items = plugins.contributions(HOOK, (TransmissionTarget, TransmissionTemplate))
    with transaction(db):
        for plugin_name, item in items:
            if isinstance(item, TransmissionTarget):
                try:
                    # A savepoint: on PostgreSQL a refused insert would abort the whole block.
                    with db.savepoint("nomenclature_target"):
                        if storage.upsert_target(db, item, plugin_name):
                            added.append(f"cible {item.code}")
                except db.IntegrityError as exc:
                    plugins.record_failure(plugin_name, HOOK, f"cible {item.code} : {exc}")
        for plugin_name, item in items:
            if isinstance(item, TransmissionTemplate):
                if storage.get_target(db, item.target) is None:
                    plugins.record_failure(
                        plugin_name, HOOK, f"modèle {item.label} : cible {item.target} inconnue"
                    )
                    continue
                if storage.upsert_template(db, item, plugin_name):
                    added.append(f"modèle {item.label}")
    return added
