"""Jinja set-up shared by the application and the page fragments of each domain.

The application renders whole pages through Litestar; domains also render fragments (a section
on a person's record, on "ce qui est enregistré sur moi") with :func:`fragment_environment`. Both
get the same filters, so a template behaves the same wherever it is rendered.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

from virage.french import plural
from virage.web.assets import SITE_ASSETS
from virage.web.security import TEMPLATE_NONCE

PARIS = ZoneInfo("Europe/Paris")


def paris_time(value: str | None) -> str:
    """Template filter ``heure``: a stored UTC ISO timestamp shown as Paris local time.

    ``"2026-11-24T13:05:00+00:00"`` → ``"24/11/2026 14:05"``; an empty value stays empty.
    """
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


FILTERS = {"heure": paris_time, "pluriel": plural}  # {{ n | pluriel("rendez-vous") }}

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
