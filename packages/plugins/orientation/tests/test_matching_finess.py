"""Matching on the real FINESS sample (Ain), with generated capacities and network fields."""

from __future__ import annotations

import math
import random

import pytest
from virage_finess import SOURCE
from virage_orientation import matching
from virage_orientation import storage as orientation_storage

from virage.sdk import PluginHost, Settings, directory
from virage.sdk.testing import prepare_database

from .conftest import SHARED_SAMPLE


def haversine(lat1, lon1, lat2, lon2):
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def finess_db(tmp_path_factory):
    if not SHARED_SAMPLE.exists():
        pytest.skip("échantillon FINESS partagé absent")
    folder = tmp_path_factory.mktemp("finess")
    settings = Settings(db_path=folder / "v.db", docs_dir=None)
    db = prepare_database(settings, PluginHost(settings))
    directory.run_import(db, SOURCE, SHARED_SAMPLE)
    rng = random.Random(2026)
    ehpads = db.execute(
        "SELECT id FROM directory_structures WHERE category_code = '500' ORDER BY id"
    ).fetchall()
    assert len(ehpads) >= 4
    for (sid,) in ehpads:  # generated capacities: places and a protected unit, or not
        orientation_storage.set_places(db, sid, "ehpad", rng.choice([0, 1, 3]))
        unit = rng.choice(["oui (14 places)", "non", None])
        if unit:
            directory.set_structure_extra(db, sid, {"Unité protégée": unit})
    yield db
    db.close()


def _request(db, radius_km, criteria):
    commune = db.execute(
        "SELECT code, lat, lon FROM directory_communes WHERE code = '01053'"
    ).fetchone()
    return {
        "offer": "ehpad",
        "module": "grand_age",
        "criteria": criteria,
        "commune_code": commune[0],
        "lat": commune[1],
        "lon": commune[2],
        "radius_km": radius_km,
    }


def _expected(db, req):
    """Brute force over the whole directory, written independently of the plugin."""
    out = {}
    for sid, lat, lon, status, cat, extra in db.execute(
        "SELECT id, lat, lon, status, category_code, extra FROM directory_structures"
    ):
        if cat != "500" or status != "open" or lat is None:
            continue
        km = haversine(req["lat"], req["lon"], lat, lon)
        if km > req["radius_km"]:
            continue
        if req["criteria"] and '"Unité protégée": "non"' in extra:
            continue
        out[sid] = km
    return out


@pytest.mark.parametrize("radius", [20, 60, 150])
@pytest.mark.parametrize("criteria", [[], ["unite_protegee"]])
def test_ranking_matches_a_brute_force(finess_db, radius, criteria):
    req = _request(finess_db, radius, criteria)
    ranked = matching.rank(finess_db, None, req)
    expected = _expected(finess_db, req)
    assert {c["id"] for c in ranked} == set(expected)
    if radius >= 60 and not criteria:
        assert len(ranked) >= 2  # the sample has EHPADs around Bourg-en-Bresse
    scores = [c["score"] for c in ranked]
    assert scores == sorted(scores, reverse=True)
    places = orientation_storage.places_for(finess_db, list(expected), "ehpad")
    for cand in ranked:
        km = expected[cand["id"]]
        assert abs(cand["distance_km"] - km) < 0.2
        n = places[cand["id"]]["places"]
        assert cand["places"] == n
        if n:
            assert f"{n} place" in cand["reason"]
        else:
            assert "aucune place déclarée" in cand["reason"]
        if criteria:
            assert "unité protégée" in cand["reason"]


def test_a_structure_with_places_outranks_an_equal_one_without(finess_db):
    req = _request(finess_db, 150, [])
    ranked = matching.rank(finess_db, None, req)
    with_places = [c for c in ranked if c["places"]]
    without = [c for c in ranked if not c["places"]]
    for a in with_places:
        for b in without:
            if a["distance_km"] <= b["distance_km"] + 60:
                assert ranked.index(a) < ranked.index(b)


def test_benchmark_script_runs_small():
    import json
    import subprocess
    import sys

    from .conftest import ROOT

    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_orientation.py"), "--small"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    data = json.loads(out.stdout)
    assert {"p50", "p95", "p99"} <= set(data["ranking_ms"]) and "raw_sqlite_floor_ms" in data
