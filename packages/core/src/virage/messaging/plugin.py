"""Built-in plugin: secure conversations between professionals about a person."""

from __future__ import annotations

from virage.messaging import hookspecs
from virage.plugins import hookimpl


@hookimpl
def register_hookspecs():
    return [hookspecs]
