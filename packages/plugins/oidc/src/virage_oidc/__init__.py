"""virage-oidc: single sign-on with OpenID Connect, Pro Santé Connect profile.

A button « Se connecter avec Pro Santé Connect » on the log-in page (hook ``login_page_options``,
SDK 1.2); the authorization code flow with PKCE, state and nonce; the ID token checked (signature,
issuer, audience, expiry, nonce); the person's national identifier (``SubjectNameID``) looked up
among the links the administration made (``/administration/sso``) — no account is ever created;
then the core opens the session as after a password (:func:`virage.sdk.login.finish`). See
README.md and the guide « Connexion avec Pro Santé Connect ».
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup, escape

from virage.sdk import Migration, PageSection, hookimpl, permission

__version__ = "0.1.0"

#: The versions of the Virage SDK this plugin works with (``login_page_options``,
#: ``virage.sdk.login`` and ``directory.professional_by_idnps`` appeared in 1.2).
VIRAGE_SDK = ">=1.2,<2"

NAMESPACE = "oidc"
TEMPLATES = Path(__file__).parent / "templates"


@hookimpl
def register_migrations():
    from virage_oidc import storage

    return [
        Migration(
            NAMESPACE,
            "0001_links",
            storage.create_tables,
            "Connexion unique : liens entre identités et comptes, connexions en cours",
        )
    ]


@hookimpl
def register_permissions():
    return [
        permission(
            "oidc.links.manage",
            "Relier les comptes de la structure à leur identité Pro Santé Connect (connexion "
            "unique), ou les délier",
            ["director"],
        )
    ]


@hookimpl
def register_audit_actions():
    # French labels of the codes this plugin writes to the journal (« oidc.login » is its
    # refusals: an unknown identity, a deactivated account, a failed exchange).
    return {
        "oidc.login": "Connexion Pro Santé Connect",
        "oidc.link": "Compte relié à une identité Pro Santé Connect",
        "oidc.unlink": "Compte délié de son identité Pro Santé Connect",
    }


@hookimpl
def register_routes():
    from virage_oidc import web

    return [web.OidcLogin, web.OidcAdmin]


@hookimpl
def register_template_dirs():
    return [TEMPLATES]


@hookimpl
def login_page_options(settings):
    from virage.sdk import login
    from virage_oidc import config

    cfg = config.load()
    if cfg is None:
        return None
    return [login.LoginOption(cfg.label, "/connexion/oidc", cfg.hint, order=10)]


def _day(stamp: str) -> str:
    from virage.sdk import day_text

    return day_text(stamp)


@hookimpl
def extra_worker_records(db, user_id):
    from virage_oidc import storage

    rows = storage.links_of_user(db, user_id)
    items = "".join(
        f"<li>Identité {escape(r['identifier'])} reliée le {_day(r['created_at'])} "
        f"(fournisseur {escape(r['issuer'])})</li>"
        for r in rows
    )
    html = Markup(
        "<p>Ce que la connexion unique enregistre sur vous : l'identité (numéro national) qui "
        "ouvre votre compte, qui l'a reliée et quand. Chaque connexion est inscrite au journal."
        "</p><ul>" + (items or "<li>Aucune identité reliée.</li>") + "</ul>"
    )
    return [PageSection("Connexion unique", html, "connexion-unique", 90)]
