"""The directory (FINESS structures, RPPS professionals), as plugins may use it: search it, read
an entry, import a registry, and seed demo data.

Directory content is registry data readable by every role; pages call ``require_read(access)``
first. A registry is imported by a :class:`~virage.sdk.DirectorySource` (hook
``register_directory_sources``) through ``run_import``.
"""

from __future__ import annotations

from virage.directory.categories import LEGAL_STATUSES, PROFESSIONS, category_label
from virage.directory.identifiers import finess_problem, luhn_key, rpps_problem
from virage.directory.imports import run_import
from virage.directory.lookups import imports, structure, structure_by_finess, structures_matching
from virage.directory.normalize import OVERSEAS, fold
from virage.directory.search import (
    MAX_PER_PAGE,
    SearchParams,
    resolve_commune,
    search_professionals,
    search_structures,
)
from virage.directory.seeding import (
    insert_structure,
    refresh_communes,
    save_professional,
    set_structure_extra,
)
from virage.directory.service import professional_by_idnps, professional_detail, require_read

__all__ = [
    "LEGAL_STATUSES",
    "MAX_PER_PAGE",
    "OVERSEAS",
    "PROFESSIONS",
    "SearchParams",
    "category_label",
    "finess_problem",
    "fold",
    "imports",
    "insert_structure",
    "luhn_key",
    "professional_by_idnps",
    "professional_detail",
    "refresh_communes",
    "require_read",
    "resolve_commune",
    "rpps_problem",
    "run_import",
    "save_professional",
    "search_professionals",
    "search_structures",
    "set_structure_extra",
    "structure",
    "structure_by_finess",
    "structures_matching",
]
