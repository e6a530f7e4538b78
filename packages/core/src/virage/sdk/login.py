"""Logging in through another service, as plugins may offer it (single sign-on).

A plugin offers a button on the log-in page (hook ``login_page_options``, returning
:class:`LoginOption`), authenticates the person with its provider, finds **an existing account**
(never creates one), and hands over to :func:`finish`, which does what a right password does:
refuse a deactivated account, apply the structure's second-factor rule unless the provider's
authentication is itself strong, open the session and record the log-in. :func:`refuse` shows the
log-in page again with a sentence the person can act on.
"""

from __future__ import annotations

from virage.accounts.external_login import INACTIVE, finish, refuse
from virage.accounts.login_options import LoginOption
from virage.accounts.login_web import safe_next

__all__ = ["INACTIVE", "LoginOption", "finish", "refuse", "safe_next"]
