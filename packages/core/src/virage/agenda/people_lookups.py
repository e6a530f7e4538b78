"""What the agenda's views need in batch about workers and persons (names, addresses, care
teams, emergency accesses), asked of the accounts domain that owns them."""

from __future__ import annotations

from virage.accounts.lookups import care_teams, emergency_users, person_basics, user_names

__all__ = ["care_teams", "emergency_users", "person_basics", "user_names"]
