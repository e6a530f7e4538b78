"""The audit domain's hook: the French labels of the actions a domain or a plugin records.

Added to the plugin manager by the domain (hook ``register_hookspecs``); implement it with
``@hookimpl`` from :mod:`virage.sdk`. See :mod:`virage.hookspecs` for the conventions.
"""

from __future__ import annotations

from collections.abc import Mapping

import pluggy

hookspec = pluggy.HookspecMarker("virage")


@hookspec
def register_audit_actions() -> Mapping[str, str] | None:
    """Name, in French, the actions your domain or plugin writes to the audit trail.

    Return a dict ``{action code: label}``, e.g.
    ``{"orientation.request.sent": "Demande d'orientation envoyée"}``: the code is what you pass
    to ``access.require(…, action=…)`` or ``access.audit(…)``, the label is what the journal, « Qui
    a consulté ce dossier » and « Ce qui est enregistré sur moi » show (a sentence fragment, with a
    capital letter, no final full stop). A code recorded under the name of one of your
    permissions needs no entry: the permission's label is used. Codes stay in the CSV export and
    the API.

    Every code the suite sees recorded must have a label (``tests/accounts/test_journal_labels.py``).

    Called once for every plugin when the application is built.
    """
