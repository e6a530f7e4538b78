"""Built-in plugin: indicators and the sas of exports, registered through the same hooks as any
plugin. The agenda's and the transmissions' indicators are declared here (``register_indicators``)."""

from __future__ import annotations

from virage.accounts.export import ExportSection
from virage.db import Migration
from virage.indicators import hookspecs, storage
from virage.indicators.permissions import AUDIT_ACTIONS, PERMISSIONS
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
            "0150_indicators",
            storage.create_tables,
            "Indicateurs : agrégats mensuels, seuil du réseau, exports du sas et approbations",
        ),
        Migration(
            "core",
            "0151_row_security_indicators",
            storage.create_row_security,
            "Sécurité par ligne (PostgreSQL) : indicateurs et exports du sas",
        ),
    ]


@hookimpl
def register_permissions():
    return list(PERMISSIONS)


@hookimpl
def register_indicators():
    from virage.indicators.builtin import CORE_INDICATORS

    return list(CORE_INDICATORS)


@hookimpl
def register_routes():
    from virage.indicators import api, web

    return [web.IndicatorPages, web.SasPages, api.IndicatorsApi]


@hookimpl
def register_nav_items():
    return [
        NavItem(
            "Indicateurs",
            "/indicateurs/",
            order=90,
            permission=("indicators.read", "indicators.sent.read", "indicators.network"),
        )
    ]


@hookimpl
def register_commands(cli):
    from virage.indicators import cli as indicators_cli

    indicators_cli.register(cli)


@hookimpl
def extra_person_export(db, person_id):
    """What was sent about the activity of the person's structure (figures only): a person who
    asks what her structure transmits finds it with her own data."""
    from virage.indicators import sas

    rows = sas.sent_summary(db, person_id)
    if not rows:
        return None
    return [
        ExportSection(
            "indicateurs_envoyes",
            "Indicateurs envoyés sur l'activité de la structure (chiffres agrégés, sans nom)",
            "indicators.sent.read",
            rows,
        )
    ]


@hookimpl
def on_demo_created(db, seed):
    from virage.indicators import demo

    return demo.create(db, seed)


@hookimpl
def register_audit_actions():
    return AUDIT_ACTIONS
