# ruff: noqa: F811
"""The orientation's section of « Réglages de la structure », by attack: offers received and places
available, for the structure's director and the network administrator only; bad input gives a
French message and stores nothing; an offer set aside is no longer proposed to requesters."""

from __future__ import annotations

import pytest
from virage_orientation import network

from tests.accounts.conftest import PASSWORD
from tests.accounts.soft_key import give_key
from tests.accounts.test_structures_admin import clients, db, post  # noqa: F401
from virage.sdk.accounts import create_user
from virage.sdk.testing import acknowledge_notice, create_app

API = "/api/v1/orientation"


@pytest.fixture
def director_b(world, db):
    uid = create_user(
        db,
        username="director_b",
        display_name="director b",
        password=PASSWORD,
        structure_id=world.structures["b"],
        role="director",
    )
    give_key(db, uid, "director_b")
    acknowledge_notice(db, uid)
    return "director_b"


def page_of(world, name="b"):
    return f"/structures/{world.structures[name]}/reglages"


def last_section_audit(db):
    row = db.execute(
        "SELECT details, structure_id FROM audit_log WHERE action = 'structures.settings.section'"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return row


def test_director_and_network_admin_see_and_save(world, territory, clients, db, director_b):
    page, tilleuls = page_of(world), territory["EHPAD Les Tilleuls"]
    for name in (director_b, "admin"):
        text = clients(name).get(page).text
        assert "Orientation" in text and "EHPAD (hébergement permanent)" in text, name
        assert 'name="places_ehpad"' in text and "SSIAD" not in text.split("Orientation")[-1]
    ok = post(
        clients(director_b),
        page,
        f"{page}/orientation",
        {"offers": ["ehpad", "accueil_jour"], "places_ehpad": "3", "places_accueil_jour": ""},
    )
    assert ok.status_code == 303, ok.text
    assert {p["offer"]: p["places"] for p in network.places_of(db, tilleuls)} == {"ehpad": 3}
    assert network.closed_offers(db, tilleuls) == {"hebergement_temporaire"}
    details, sid = last_section_audit(db)
    assert sid == world.structures["b"] and '"orientation"' in details
    assert "hebergement_temporaire" in details
    # The network administrator too; emptying a number withdraws the declaration.
    again = post(
        clients("admin"),
        page,
        f"{page}/orientation",
        {"offers": ["ehpad", "hebergement_temporaire", "accueil_jour"], "places_ehpad": ""},
    )
    assert again.status_code == 303
    assert network.places_of(db, tilleuls) == [] and network.closed_offers(db, tilleuls) == set()
    shown = clients(director_b).get(page).text
    assert 'name="places_ehpad" value=""' in shown


def test_bad_input_is_refused_in_french_and_nothing_stored(
    world,
    territory,
    clients,
    db,
    director_b,
):
    page, tilleuls = page_of(world), territory["EHPAD Les Tilleuls"]
    director = clients(director_b)
    network.set_places(db, tilleuls, "ehpad", 5)
    for bad in ("-1", "trois", "10001", "2.5"):
        response = post(
            director,
            page,
            f"{page}/orientation",
            {"offers": ["accueil_jour"], "places_accueil_jour": "1", "places_ehpad": bad},
        )
        assert response.status_code == 400, bad
        assert "Places disponibles « EHPAD (hébergement permanent) »" in response.text
        # what was typed is shown again
        assert f'value="{bad}"' in response.text
    forged = post(director, page, f"{page}/orientation", {"offers": ["pirate"]})
    assert forged.status_code == 400 and "Offre inconnue" in forged.text
    places = {p["offer"]: p["places"] for p in network.places_of(db, tilleuls)}
    assert places == {"ehpad": 5} and network.closed_offers(db, tilleuls) == set()


def test_refused_to_everyone_else(world, territory, clients, db, director_b):
    page, tilleuls = page_of(world), territory["EHPAD Les Tilleuls"]
    # The structure's nurse and coordinator (who declares places from the orientation page, not
    # the settings), a secretariat and a director of another structure.
    for name in ("nurse_b", "coord_b"):
        assert clients(name).get(page).status_code == 403, name
    for name in ("secretary_a", "director_a"):
        assert clients(name).get(page).status_code in (403, 404), name
    for name in ("nurse_b", "director_a", "secretary_a"):
        client = clients(name)
        client.get("/moi")
        forged = client.post(
            f"{page}/orientation",
            data={
                "offers": ["ehpad"],
                "places_ehpad": "99",
                "_csrf_token": client.cookies.get("virage_csrf", ""),
            },
            follow_redirects=False,
        )
        assert forged.status_code in (403, 404), name
    # Without the CSRF token, even the director is refused.
    director = clients(director_b)
    director.get(page)
    no_csrf = director.post(
        f"{page}/orientation", data={"places_ehpad": "99"}, follow_redirects=False
    )
    assert no_csrf.status_code == 403
    # Anonymous: sent to the log-in page, nothing stored.
    from litestar.testing import TestClient

    with TestClient(create_app(world.settings)) as anonymous:
        response = anonymous.post(
            f"{page}/orientation", data={"places_ehpad": "99"}, follow_redirects=False
        )
        assert response.status_code in (303, 401, 403)
    assert network.places_of(db, tilleuls) == []


def test_a_structure_not_linked_to_the_directory(world, territory, clients):
    page = page_of(world, "a")
    director = clients("director_a")
    assert "pas reliée à l" in director.get(page).text
    refused = post(director, page, f"{page}/orientation", {"places_ehpad": "1"})
    assert refused.status_code == 400 and "pas reliée à l" in refused.text


def test_an_offer_set_aside_is_no_longer_proposed(client, world, territory, clients, director_b):
    from tests.accounts.conftest import bearer

    page = page_of(world)
    ok = post(
        clients(director_b),
        page,
        f"{page}/orientation",
        {"offers": ["hebergement_temporaire", "accueil_jour"]},
    )
    assert ok.status_code == 303
    body = {
        "person_id": world.persons["p1"],
        "module": "grand_age",
        "offer": "ehpad",
        "commune": "39600",
        "radius_km": 20,
        "consent": "personne",
    }
    rid = client.post(f"{API}/demandes", json=body, headers=bearer(world, "social_a")).json()["id"]
    res = client.get(f"{API}/demandes/{rid}/propositions", headers=bearer(world, "social_a"))
    names = [c["name"] for c in res.json()["results"]]
    assert "EHPAD Les Tilleuls" not in names and "EHPAD Les Coteaux" in names
