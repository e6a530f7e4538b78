"""virage-mssante: an MSSanté-style connector for Virage's organisational inboxes.

Messages sent to a bridged inbox's address at the operator are fetched over IMAPS (by UID under
UIDVALIDITY, once each, even after an outage or a crash) and become inbox items; answers leave
by SMTP over TLS from the inbox's address, threaded with ``In-Reply-To``. Settings are
``VIRAGE_MSSANTE_*`` environment variables, passwords in a file only the service reads; TLS
certificates are always verified. See ``docs/plugins/mssante.md``.
"""

from __future__ import annotations

from virage.sdk import Migration, hookimpl

__version__ = "0.1.0"

#: The versions of the Virage SDK this plugin works with (inboxes: 1.9).
VIRAGE_SDK = ">=1.9,<2"

NAMESPACE = "mssante"


@hookimpl
def register_migrations():
    from virage_mssante import storage

    return [
        Migration(
            NAMESPACE,
            "0001_cursors",
            storage.create_tables,
            "MSSanté : où la relève de chaque boîte reliée en est",
        )
    ]


@hookimpl
def register_commands(cli):
    from virage_mssante import cli as commands

    commands.register(cli)


@hookimpl
def inbox_send_external(inbox, to, subject, body, in_reply_to):
    from virage_mssante import config, send

    settings = config.load()
    if not inbox.get("external_address") or not settings.smtp_host:
        return None  # not bridged through this connector
    return send.send(settings, inbox, to, subject, body, in_reply_to)


@hookimpl
def on_startup(app):
    from virage_mssante import background

    return background.start(app)


@hookimpl
def extra_plugin_info():
    return {
        "description": "Passerelle de messagerie sécurisée de type MSSanté : relève IMAP et "
        "envoi SMTP en TLS pour les boîtes organisationnelles.",
        "documentation": "/docs/plugins/mssante/",
    }
