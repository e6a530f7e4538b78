"""Built-in plugin: a person's documents and photos (safe intake, files addressed by content)."""

from __future__ import annotations

from virage.documents import hookspecs
from virage.plugins import hookimpl


@hookimpl
def register_hookspecs():
    return [hookspecs]
