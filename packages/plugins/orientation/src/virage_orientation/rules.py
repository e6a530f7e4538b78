"""An example regional rule for the ``orientation_score`` hook.

"Priorité départementale": a département that funds the social-aid places of its EHPADs may ask
that its own structures come first. Register this module as a plugin (entry point ``virage``, or
``plugins.register(rules)`` in tests) to enable it.
"""

from __future__ import annotations

from virage.sdk import hookimpl

BONUS = 15.0


@hookimpl
def orientation_score(request, candidate):
    wished = (request.get("commune_code") or "")[:2]
    if wished and candidate.get("departement") == wished:
        return BONUS, "même département (règle départementale)"
    return None
