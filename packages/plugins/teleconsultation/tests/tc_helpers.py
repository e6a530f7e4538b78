"""Helpers of the tests: the accounts' small world, plus two remote doctors in the directory.

- ``doc_account``: a doctor whose directory entry is linked to ``nurse2_a`` (an account in
  structure a, added to p1's care team);
- ``doc_external``: a doctor without an account (the nurse records the report on their behalf).
"""

from __future__ import annotations

import json
from datetime import timedelta

from tests.accounts.conftest import bearer
from virage.sdk import accounts, directory, to_local, today_paris, utcnow
from virage.sdk.testing import connect

API = "/api/v1/teleconsultation"


def _doctor(db, family: str, rpps: str, user_id: int | None) -> int:
    return directory.save_professional(
        db,
        {
            "idnps": "8" + rpps,
            "rpps": rpps,
            "civility": "Dr",
            "family_name": family,
            "given_name": "Test",
            "profession_code": "10",
            "profession_label": "Médecin",
            "specialties": json.dumps([]),
            "status": "open",
            "source": "test",
        },
        [],
        ["Loue"],
        user_id=user_id,
    )


def make_doctors(world) -> dict[str, int]:
    db = connect(world.settings.db_path)
    try:
        with db.transaction():
            out = {
                "account": _doctor(db, "Vasseur", "10100000001", world.users["nurse2_a"]),
                "external": _doctor(db, "Lointain", "10100000002", None),
            }
            accounts.add_to_care_team(
                db, world.persons["p1"], world.users["nurse2_a"], world.users["coord_a"]
            )
    finally:
        db.close()
    return out


def soon(minutes: int = 10) -> str:
    """A start time a few minutes from now, Paris wall clock (as a form would send it)."""
    start = (utcnow() + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    return to_local(start).replace(tzinfo=None).isoformat(timespec="minutes")


def later(days: int = 3, hhmm: str = "10:00") -> str:
    return f"{today_paris() + timedelta(days=days)}T{hhmm}"


def request_tc(client, world, doctor: int, who: str = "nurse_a", **extra) -> dict:
    r = client.post(
        API,
        json={
            "person_id": world.persons["p1"],
            "doctor_professional_id": doctor,
            "reason": "Plaie du talon qui ne cicatrise pas, avis sur le traitement",
            "documents": "Photos de la plaie, traitement en cours",
            **extra,
        },
        headers=bearer(world, who),
    )
    assert r.status_code == 201, r.text
    return r.json()


def step(client, world, tc_id: int, action: str, who: str = "nurse_a", json=None, status=201):
    r = client.post(f"{API}/{tc_id}/{action}", json=json or {}, headers=bearer(world, who))
    assert r.status_code == status, r.text
    return r.json()


PREPARED = {
    "identity_checked": True,
    "consent": True,
    "consent_method": "oral",
    "equipment": ["device", "network", "room", "instruments", "documents"],
}
