"""Built-in plugin: the journal for humans (its pages, its hook for action labels, the DPO's
reading of a worker's activity). The trail itself (table, writing) belongs to the accounts
domain's migrations, as released."""

from __future__ import annotations

from virage.access import permission
from virage.audit import hookspecs, journal_web, query_storage
from virage.audit.labels import CORE_ACTION_LABELS
from virage.db import Migration
from virage.plugins import hookimpl

WORKER_ACTIVITY_PERMISSION = permission(
    "audit.worker_activity",
    "Consulter l'activité d'un professionnel dans le journal (motif obligatoire, signalé au "
    "journal et montré au professionnel)",
    ["dpo"],
    reason_required=True,
)

FULL_EXPORT_PERMISSION = permission(
    "audit.export_all",
    "Exporter tout le journal de la structure, toutes personnes et tous professionnels confondus "
    "(motif obligatoire, signalé au journal)",
    ["dpo"],
    reason_required=True,
)


@hookimpl
def register_hookspecs():
    return [hookspecs]


@hookimpl
def register_audit_actions():
    return CORE_ACTION_LABELS


@hookimpl
def register_permissions():
    return [WORKER_ACTIVITY_PERMISSION, FULL_EXPORT_PERMISSION]


@hookimpl
def register_migrations():
    return [
        Migration(
            "core",
            "0115_audit_target_index",
            query_storage.create_target_index,
            "Journal des accès : retrouver les consultations motivées de l'activité d'un professionnel",
        )
    ]


@hookimpl
def register_routes():
    return [journal_web.JournalPages]
