"""The transmissions (targeted DAR notes about a person), as plugins may use them: write one
through the access model, add the targets and templates you contribute, and seed demo data.

Transmissions hold health content under professional secrecy: never send their content outside
the person's care team.
"""

from __future__ import annotations

from virage.transmissions.seeding import acknowledge_many, insert, set_shift
from virage.transmissions.service import create_transmission, sync_nomenclature
from virage.transmissions.targets import CORE_TARGETS, CORE_TEMPLATES

__all__ = [
    "CORE_TARGETS",
    "CORE_TEMPLATES",
    "acknowledge_many",
    "create_transmission",
    "insert",
    "set_shift",
    "sync_nomenclature",
]
