"""Bounds that every input must respect, shared by the domains (the kernel knows no domain).

Python's dates stop at years 1 and 9999 and SQLite's integers at 2**63 - 1: a value near those
edges makes date arithmetic or a query overflow. Values are checked against these bounds at the
boundary, with a message a person can act on; the database seam and the error mapping catch what
slips through (see ``virage.db.Database`` and ``virage.errors``).
"""

from __future__ import annotations

from datetime import date, datetime

from virage.errors import InvalidInput

MIN_YEAR = 1900
MAX_YEAR = 2200
MAX_INT = 2**63 - 1

YEARS_MESSAGE = f"les années vont de {MIN_YEAR} à {MAX_YEAR}"
INT_MESSAGE = (
    "Un nombre envoyé dépasse la taille admise (au plus 9 223 372 036 854 775 807) : "
    "vérifiez l'identifiant ou la valeur saisie."
)


def check_year(value: date | datetime, field: str) -> None:
    """Refuse a date outside ``MIN_YEAR``–``MAX_YEAR`` (``InvalidInput`` naming ``field``)."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InvalidInput(
            f"Date hors des limites ({field}) : {YEARS_MESSAGE}.",
            details=[{"champ": field, "message": YEARS_MESSAGE}],
        )
