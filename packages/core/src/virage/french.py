"""French as people write it: real plurals instead of « créneau(x) libre(s) »."""

from __future__ import annotations

from collections.abc import Sized

#: Month names, January first (``MONTHS[d.month - 1]``).
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
#: Day names, Monday first (``WEEKDAYS[d.weekday()]``).
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def plural(count: int | Sized, singular: str, plural_form: str | None = None) -> str:
    """« 1 créneau libre », « 3 créneaux libres », « 0 créneau libre ».

    In French, 0 and 1 take the singular. ``plural_form`` defaults to each word of ``singular``
    followed by « s »; give it for irregular plurals (« créneaux libres », « suivis en cours »).
    ``count`` may be a collection: its length is used.
    """
    n = count if isinstance(count, int) else len(count)
    if -1 <= n <= 1:
        return f"{n} {singular}"
    return f"{n} {plural_form or ' '.join(w + 's' for w in singular.split(' '))}"
