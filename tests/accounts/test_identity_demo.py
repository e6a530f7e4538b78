"""Identity vigilance in the demo territory (issue 19): identities at every status, qualified ones
with a valid fictitious INS, one SSIAD person left provisional on purpose, and a duplicate pair
that the coordinator finds through the duplicate detection service."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from virage.accounts import identity_vigilance as vigilance
from virage.accounts import identity_vigilance_demo as demo
from virage.accounts import service as accounts_service
from virage.accounts import storage as accounts_storage
from virage.accounts.context import AccessContext
from virage.accounts.models import nir_key_ok
from virage.app import build_registry
from virage.db import connect
from virage.plugins import PluginHost
from virage.sdk.testing import cli
from virage.settings import Settings


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo-identity") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VIRAGE_DB", str(path))
        mp.delenv("VIRAGE_PLUGINS", raising=False)
        assert cli(["demo", "--no-serve"]) == 0
        settings = Settings.from_env()
    db = connect(path)
    yield db, settings
    db.close()


def _persons(db, name: str) -> tuple[dict, list[dict]]:
    structure = accounts_storage.find_structure(db, name)
    rows = accounts_storage.list_persons(db, structure["id"], limit=1000)
    return structure, sorted(
        (accounts_storage.get_person(db, p["id"]) for p in rows), key=lambda p: p["id"]
    )


def test_the_demo_shows_every_identity_status(demo_db):
    db, _ = demo_db
    statuses: Counter = Counter()
    now = datetime.now(UTC).isoformat()
    for name in demo.CHECKERS:
        _, people = _persons(db, name)
        for person in people:
            status = vigilance.status_of(db, person)
            statuses[status["code"]] += 1
            if status["code"] == "qualifiee":
                assert person["ins_nir"] and nir_key_ok(person["ins_nir"]), person["id"]
                assert status["ins_qualified"]
            if status["validated_at"]:
                assert status["validated_at"] < now
                assert status["validated_by_label"] in demo.CHECKERS.values()
    assert statuses["provisoire"] >= 1 and statuses["recuperee"] >= 1
    assert statuses["qualifiee"] >= 1
    validated = statuses["validee"] + statuses["qualifiee"]
    assert validated > sum(statuses.values()) / 2, statuses  # most identities are validated

    _, ssiad = _persons(db, demo.SSIAD)
    left = ssiad[demo.LEFT_PROVISIONAL]
    assert vigilance.status_of(db, left)["code"] == "provisoire"
    _, ehpad = _persons(db, "EHPAD Les Tilleuls")
    documents = {vigilance.status_of(db, p)["document"] for p in ehpad}
    assert vigilance.EHPAD_DOCUMENTS["livret_famille_vitale"] in documents


def test_the_coordinator_finds_the_duplicate_to_merge(demo_db):
    db, settings = demo_db
    structure, people = _persons(db, demo.SSIAD)
    user = accounts_storage.get_user_by_username(db, "ines.coordination")
    actor = accounts_service.actor_for_user(db, user, via="session")
    access = AccessContext(db, build_registry(PluginHost(settings)), actor, route="test")

    groups = vigilance.duplicates(access, structure["id"])

    assert len(groups) == 1
    original, duplicate = sorted(groups[0], key=lambda p: p["id"])
    assert duplicate["id"] == people[-1]["id"]  # created last: the tour's persons are unmoved
    assert duplicate["family_name"] != original["family_name"] or (
        duplicate["given_names"] != original["given_names"]
    )
    assert vigilance.status_of(db, people[-1])["code"] == "provisoire"
    assert people[-1]["contacts"] == [demo.DUPLICATE_CONTACT]
    assert vigilance.duplicates_of(db, people[-1]) == [original]
