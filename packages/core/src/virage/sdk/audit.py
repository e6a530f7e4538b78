"""The audit trail, as plugins may use it: record what your plugin does with personal data, read
a person's or a worker's entries.

``AccessContext.require`` and ``AccessContext.audit`` record for you in a request; ``record`` is
for work done outside one. Entries are never changed nor deleted.
"""

from __future__ import annotations

from virage.audit.service import for_actor, for_person, record

__all__ = ["for_actor", "for_person", "record"]
