"""Built-in plugin: accounts, persons supported, care teams, access model and audit trail."""

from __future__ import annotations

from virage.access import CORE_PERMISSIONS
from virage.accounts import (
    admin_web,
    api,
    device_web,
    home_web,
    hookspecs,
    identity_vigilance_storage,
    identity_vigilance_web,
    lifecycle_storage,
    link_web,
    login_web,
    notice_web,
    objection_web,
    policy_storage,
    schema_storage,
    second_factor_web,
    self_service_web,
    structure_settings,
    web,
)
from virage.accounts.action_labels import ACTION_LABELS
from virage.accounts.permissions import ACCOUNT_PERMISSIONS
from virage.audit import service as audit
from virage.db import Migration
from virage.plugins import hookimpl
from virage.web.nav import NavItem


@hookimpl
def register_hookspecs():
    return [hookspecs]


@hookimpl
def register_migrations():
    return [
        Migration(
            "core",
            "0002_accounts",
            schema_storage.create_accounts_tables,
            "Comptes, personnes, équipes de soins",
        ),
        Migration("core", "0003_audit_log", audit.create_tables, "Journal des accès"),
        Migration(
            "core",
            "0004_login_throttle",
            schema_storage.create_throttle_tables,
            "Tentatives de connexion, appareils et adresses connus",
        ),
        Migration(
            "core",
            "0005_second_factor",
            schema_storage.create_second_factor_tables,
            "Second facteur : applications, clés de sécurité, codes de secours, règle par structure",
        ),
        Migration(
            "core",
            "0006_worker_notice",
            schema_storage.create_notice_tables,
            "Note d'information des professionnels, date de consultation du CSE",
        ),
        Migration(
            "core",
            "0007_sharing_objections",
            schema_storage.create_objection_tables,
            "Oppositions des personnes au partage hors de l'équipe de soins",
        ),
        Migration(
            "core",
            "0008_device_keys",
            schema_storage.create_device_keys_table,
            "Clés du stockage sur l'appareil",
        ),
        Migration(
            "core",
            "0090_row_security_accounts",
            policy_storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : personnes et leurs équipes",
        ),
        Migration(
            "core",
            "0093_row_security_audit",
            audit.create_row_security,
            "Sécurité par ligne (PostgreSQL) : journal des accès",
        ),
        Migration(
            "core",
            "0100_account_lifecycle",
            lifecycle_storage.create_lifecycle_tables,
            "Cycle de vie des comptes : liens à usage unique, désactivation",
        ),
        Migration(
            "core",
            "0101_session_browser",
            lifecycle_storage.add_session_browser,
            "Sessions : navigateur d'ouverture",
        ),
        Migration(
            "core",
            "0147_identity_vigilance",
            identity_vigilance_storage.create_table,
            "Vigilance sur l'identité : pièce vérifiée, INS récupérée (aucune copie de pièce)",
        ),
        Migration(
            "core",
            "0148_row_security_identity_vigilance",
            identity_vigilance_storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : vigilance sur l'identité",
        ),
        Migration(
            "core",
            "0149_persons_merged_into",
            identity_vigilance_storage.add_merged_into,
            "Personnes : un doublon fusionné renvoie au dossier conservé",
        ),
    ]


@hookimpl
def register_audit_actions():
    return ACTION_LABELS


@hookimpl
def register_permissions():
    return [*CORE_PERMISSIONS, *ACCOUNT_PERMISSIONS]


@hookimpl
def register_routes():
    return [
        home_web.HomePage,
        login_web.SessionPages,
        login_web.SecondStepPages,
        web.MePages,
        self_service_web.SelfServicePages,
        link_web.LinkPages,
        admin_web.AccountAdminPages,
        device_web.DeviceKeyPages,
        second_factor_web.SecondFactorPages,
        notice_web.NoticePages,
        structure_settings.StructureSettingsPages,
        objection_web.ObjectionPages,
        identity_vigilance_web.IdentityPages,
        web.PersonPages,
        web.StructurePages,
        api.MeController,
        api.PersonsController,
        api.AuditController,
    ]


@hookimpl
def register_nav_items():
    return [
        NavItem("Mes structures", "/moi", order=80),
        NavItem("Ce qui est enregistré sur moi", "/moi/enregistrements", order=800),
    ]


@hookimpl
def register_commands(cli):
    from virage.accounts import cli as accounts_cli

    accounts_cli.register(cli)


@hookimpl(trylast=True)
def on_demo_created(db, seed):
    """Identity statuses and a duplicate to merge; last, once the other parts chose their persons."""
    from virage.accounts import identity_vigilance_demo

    return identity_vigilance_demo.create(db, seed)
