"""The orientation plugin's own hook, declared through ``register_hookspecs``.

A network (or a region) writes a small plugin implementing ``orientation_score`` to change the
ranking of proposals with its own rules; :mod:`virage_orientation.rules` has an example.
"""

from __future__ import annotations

from typing import Any

from virage.sdk import hookspec


@hookspec
def orientation_score(
    request: dict[str, Any], candidate: dict[str, Any]
) -> tuple[float, str] | float | None:
    """Adjust the score of one structure proposed for an orientation request.

    :param request: the administrative part of the request, without identity nor medical content:
        ``module``, ``offer``, ``criteria`` (codes), ``gir``, ``mobility``, ``commune_code``,
        ``lat``, ``lon``, ``radius_km``, ``urgency``, ``wished_date``.
    :param candidate: the structure as ranked so far: ``id`` (directory), ``finess``, ``name``,
        ``category_code``, ``departement``, ``commune_code``, ``distance_km``, ``places`` (declared,
        or ``None``), ``extra`` (the network's fields), ``score`` and ``reasons``.

    Return a number added to the score (higher ranks first), or ``(number, "reason in French")``
    to also show the reason next to the proposal, or ``None`` to change nothing. Raise nothing:
    a rule that raises is reported and ignored.

    Called for every plugin implementing it, once per candidate structure, each time proposals are
    computed for a request.
    """
