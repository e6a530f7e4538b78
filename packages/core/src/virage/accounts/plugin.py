"""Built-in plugin: accounts, persons supported, care teams, access model and audit trail."""

from __future__ import annotations

from virage.access import CORE_PERMISSIONS
from virage.accounts import api, device_keys, device_web, storage, throttle_storage, web
from virage.audit import storage as audit_storage
from virage.db import Migration
from virage.plugins import hookimpl
from virage.web.nav import NavItem


@hookimpl
def register_migrations():
    return [
        Migration(
            "core", "0002_accounts", storage.create_tables, "Comptes, personnes, équipes de soins"
        ),
        Migration("core", "0003_audit_log", audit_storage.create_audit_log, "Journal des accès"),
        Migration(
            "core",
            "0004_login_throttle",
            throttle_storage.create_tables,
            "Tentatives de connexion, appareils et adresses connus",
        ),
        Migration(
            "core", "0008_device_keys", device_keys.create_table, "Clés du stockage sur l'appareil"
        ),
    ]


@hookimpl
def register_permissions():
    return list(CORE_PERMISSIONS)


@hookimpl
def register_routes():
    return [
        web.SessionPages,
        web.MePages,
        device_web.DeviceKeyPages,
        web.PersonPages,
        web.StructurePages,
        api.MeController,
        api.PersonsController,
        api.AuditController,
    ]


@hookimpl
def register_nav_items():
    return [
        NavItem("Mes structures", "/moi", order=10),
        NavItem("Ce qui est enregistré sur moi", "/moi/enregistrements", order=800),
    ]


@hookimpl
def register_commands(cli):
    from virage.accounts import cli as accounts_cli

    accounts_cli.register(cli)
