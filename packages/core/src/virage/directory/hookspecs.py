"""The directory's hook: the sources (national registries, regional files) it can import.

Added to the plugin manager by the domain (hook ``register_hookspecs``); implement them with
``@hookimpl`` from :mod:`virage.sdk`. See :mod:`virage.hookspecs` for the conventions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:  # pragma: no cover - typing only
    from virage.directory.sources import DirectorySource

hookspec = pluggy.HookspecMarker("virage")


@hookspec
def register_directory_sources() -> Sequence[DirectorySource]:
    """Contribute national registries that can feed the directory (FINESS, RPPS…).

    Return a list of :class:`virage.directory.sources.DirectorySource`: a ``name`` (used by
    ``virage import <name> PATH``), a French ``label``, the ``formats`` it reads
    (:class:`virage.directory.sources.SourceFormat`) and an ``importer`` following
    :class:`virage.directory.sources.DirectoryImporter`: ``detect(path, head)`` names the format
    of a file, ``read(path, fmt, progress)`` streams its records. The importer only reads: the
    core validates the records, upserts them in one transaction, closes what a complete extract
    no longer lists, and writes the report, the history and the audit entry.

    Called when the command line lists or runs ``virage import``, and when the directory pages
    show the sources and their last import.
    """
