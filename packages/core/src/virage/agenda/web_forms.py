"""What the agenda's pages share: reading forms and query strings, the structure of a page,
template fragments for the sections of other domains' pages."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from litestar import Request
from litestar.params import PathParameter
from markupsafe import Markup

import virage
from virage.accounts import lookups
from virage.agenda.limits import MAX_ID, check_day
from virage.agenda.timeutil import parse_hhmm
from virage.errors import InvalidInput, NotFound
from virage.web.templating import fragment_environment

Id = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
TEMPLATES = Path(virage.__file__).parent / "web" / "templates"
_snippets = fragment_environment(TEMPLATES)


def render_snippet(name: str, **context: Any) -> Markup:
    """Render a template fragment for a section of another domain's page."""
    return Markup(_snippets.get_template(name).render(**context))


# --------------------------------------------------------------------------- form helpers


async def read_form(request: Request):
    return await request.form()


def form_date(value: str | None, field: str, default: date | None = None) -> date:
    if not value:
        if default is None:
            raise InvalidInput(f"{field} : date attendue (AAAA-MM-JJ).")
        return default
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{field} : date attendue au format AAAA-MM-JJ.") from None
    return check_day(day, field)


def form_int(value: Any, field: str, high: int = MAX_ID) -> int | None:
    """A number from a form or a query string: an identifier by default (1 to 2⁶³ − 1)."""
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip()[:30])
    except (TypeError, ValueError):
        raise InvalidInput(f"{field} : nombre attendu.") from None
    if not 1 <= number <= high:
        raise InvalidInput(f"{field} : nombre de 1 à {high} attendu.")
    return number


def form_ints(values: list[str]) -> list[int]:
    out = []
    for value in values:
        number = form_int(value, "professionnel")
        if number is not None:
            out.append(number)
    return out


def local_datetime(day: date, hhmm: str, field: str) -> datetime:
    return datetime.combine(day, parse_hhmm(hhmm, field))


def structure_or_404(access, structure_id: int) -> dict:
    structure = lookups.structure(access.db, structure_id)
    actor = access.require_login()
    if structure is None or actor.role_in(structure_id) is None:
        raise NotFound("Cette structure n'existe pas ou ne vous est pas accessible.")
    return structure
