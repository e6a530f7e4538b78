"""Transmissions: the use cases, shared by the API, the web pages, the CLI and other plugins.

Every function takes an :class:`AccessContext`: the access check (and its audit entry) comes first,
then the storage calls. Nothing here writes SQL. The use cases live in ``writing`` (create, add a
result, correct, modify, withdraw, acknowledge, take one's shift), ``reading`` (one transmission,
a person's thread, what is new, the urgent ones, the printed transfer), ``search``, ``scope`` (the
reader's scope, display fields), ``nomenclature`` and ``checks`` (rules and messages); every name
is importable from here, the module other code imports.

Other domains and plugins create transmissions with :func:`create_transmission` (teleconsultation
adds its reports that way): the same access rules, audit, idempotency and hook apply. Demo data
and benchmarks write without a request through :mod:`virage.transmissions.seeding`.
"""

from __future__ import annotations

from virage.transmissions.cards import visit_cards
from virage.transmissions.checks import (
    AUTHOR_ONLY,
    CLOSED,
    DEFAULT_GRACE_MINUTES,
    FALLBACK_PERIOD,
    GRACE_PASSED,
    MAX_BACKDATE,
    NOT_FOUND,
    TEXT_MAX,
    UNACKNOWLEDGED_WINDOW,
    URGENT_WINDOW,
    _editable,
    _now,
)
from virage.transmissions.nomenclature import (
    all_targets,
    nomenclature,
    sync_nomenclature,
    template,
)
from virage.transmissions.reading import (
    authors,
    coordinated_structures,
    export,
    get,
    new_for_me,
    next_day,
    parse_day,
    person,
    shift_reference,
    timeline,
    unacknowledged_urgent,
    unacknowledged_urgent_count,
    writable_persons,
)
from virage.transmissions.scope import decorate, reading_scope
from virage.transmissions.search import WORD, search, search_query
from virage.transmissions.writing import (
    Created,
    acknowledge,
    add_result,
    correct,
    create_transmission,
    take_shift,
    update,
    withdraw,
)

__all__ = [
    "AUTHOR_ONLY",
    "CLOSED",
    "DEFAULT_GRACE_MINUTES",
    "FALLBACK_PERIOD",
    "GRACE_PASSED",
    "MAX_BACKDATE",
    "NOT_FOUND",
    "TEXT_MAX",
    "UNACKNOWLEDGED_WINDOW",
    "URGENT_WINDOW",
    "WORD",
    "Created",
    "_editable",
    "_now",
    "acknowledge",
    "add_result",
    "all_targets",
    "authors",
    "coordinated_structures",
    "correct",
    "create_transmission",
    "decorate",
    "export",
    "get",
    "new_for_me",
    "next_day",
    "nomenclature",
    "parse_day",
    "person",
    "reading_scope",
    "search",
    "search_query",
    "shift_reference",
    "sync_nomenclature",
    "take_shift",
    "template",
    "timeline",
    "unacknowledged_urgent",
    "unacknowledged_urgent_count",
    "update",
    "visit_cards",
    "withdraw",
    "writable_persons",
]
