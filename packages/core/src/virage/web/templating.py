"""Jinja set-up shared by the application and the page fragments of each domain.

The application renders whole pages through Litestar; domains also render fragments (a section
on a person's record, on "ce qui est enregistré sur moi") with :func:`fragment_environment`. Both
get the same filters, so a template behaves the same wherever it is rendered.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from virage.french import PARIS, born, day_text, moment_text, plural, time_text
from virage.web.assets import SITE_ASSETS
from virage.web.security import TEMPLATE_NONCE

__all__ = ["FILTERS", "GLOBALS", "PARIS", "fragment_environment", "paris_time"]


def paris_time(value: str | None) -> str:
    """Template filter ``heure``: a stored UTC ISO timestamp shown in words on Paris's clock.

    ``"2026-11-24T13:05:00+00:00"`` → ``"24 novembre 2026 à 14 h 05"``; an empty value stays empty.
    """
    return moment_text(value)


#: ``{{ at | heure }}`` « 24 novembre 2026 à 14 h 05 », ``{{ birth_date | jour }}`` « 18 novembre
#: 1929 », ``{{ at | horaire }}`` « 9 h 42 », ``{{ n | pluriel("rendez-vous") }}``,
#: ``{{ person.sex | ne }}`` « née », « né » or « né·e ». No ISO date, no « UTC » on a page.
FILTERS = {
    "heure": paris_time,
    "moment": moment_text,
    "jour": day_text,
    "horaire": time_text,
    "pluriel": plural,
    "ne": born,
}

#: ``{{ static_url('virage.css') }}`` (a versioned address) and ``{{ csp_nonce }}`` (the nonce an
#: inline ``<script>`` or ``<style>`` must carry), in pages and fragments alike.
GLOBALS = {"static_url": SITE_ASSETS.url, "csp_nonce": TEMPLATE_NONCE}


def fragment_environment(*template_dirs: Path | str) -> Environment:
    """An autoescaping Jinja environment with Virage's filters, for page fragments."""
    env = Environment(
        loader=FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env
