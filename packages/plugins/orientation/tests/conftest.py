"""Fixtures of the orientation tests: the shared access world plus a small directory territory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import virage_finess

ROOT = Path(__file__).resolve().parents[4]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.accounts.conftest import (  # noqa: E402, F401
    _world_template,
    app,
    bearer,
    client,
    csrf_from,
    login,
    world,
)
from virage.sdk import accounts, directory  # noqa: E402
from virage.sdk.testing import connect  # noqa: E402

# The real ANS sample, as bundled by the finess plugin (identical to shared/data/finess, which a
# test of that plugin checks).
SHARED_SAMPLE = (
    Path(virage_finess.__file__).parent / "data" / "finess-structures-sample-20260309.json"
)

# name, category, lat, lon, extra — around Loue (47.0, 5.8): 1° lat ≈ 111 km
TERRITORY = [
    ("EHPAD Les Tilleuls", "500", 47.0, 5.8, {"Places": "84 dont 14 en unité protégée"}),
    ("EHPAD du Parc", "500", 47.08, 5.8, {"Unité protégée": "non", "Aide sociale": "habilité"}),
    ("EHPAD Les Coteaux", "500", 47.04, 5.8, {"Unité protégée": "oui (12 places)"}),
    ("EHPAD La Source", "500", 47.12, 5.8, {"Unité protégée": "oui"}),
    ("EHPAD Lointain", "500", 47.5, 5.8, {"Unité protégée": "oui"}),
    ("SSIAD de Loue", "354", 47.0, 5.81, {}),
]


def add_territory(db) -> dict[str, int]:
    ids = {}
    for i, (name, cat, lat, lon, extra) in enumerate(TERRITORY):
        ids[name] = directory.insert_structure(
            db,
            {
                "kind": "ET",
                "finess": f"39000{i:04d}",
                "name": name,
                "category_code": cat,
                "category_label": "EHPAD" if cat == "500" else "SSIAD",
                "city": "Loue-la-Vallée" if lat < 47.06 else "Chaumont",
                "postcode": "39600" if lat < 47.06 else "39640",
                "commune_code": "39901" if lat < 47.06 else "39905",
                "departement": "39",
                "lat": lat,
                "lon": lon,
                "status": "open",
                "source": "test",
            },
            extra=extra,
        )
    directory.refresh_communes(db)
    return ids


@pytest.fixture
def territory(world):  # noqa: F811
    db = connect(world.settings.db_path)
    ids = add_territory(db)
    # structure b of the world is the EHPAD Les Tilleuls of the directory (by its FINESS)
    from virage_orientation import storage

    storage.link(db, world.structures["b"], ids["EHPAD Les Tilleuls"])
    person = accounts.person(db, world.persons["p1"])
    accounts.update_person(
        db, person["id"], {"birth_date": "1935-04-02", "sex": "F", "birth_name": "Martin"}
    )
    accounts.add_to_care_team(db, person["id"], world.users["social_a"], world.users["coord_a"])
    db.close()
    return ids
