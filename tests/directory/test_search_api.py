"""Searching the directory over the API: relevance, accents, prefixes, filters, distance, pages,
and a clear 400 for every bad query."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import bearer

API = "/api/v1/directory/structures"


def names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["name"] for r in response.json()["results"]]


@pytest.fixture
def h(world, directory):
    return bearer(world, "care_a")


def test_needs_a_token(client, directory):
    response = client.get(API, params={"q": "ehpad"})
    assert response.status_code == 401
    assert "Jeton" in response.json()["detail"]


def test_accents_case_and_punctuation_do_not_matter(client, h):
    for query in ("ehpad saint etienne", "EHPAD SAINT-ÉTIENNE", "Ehpad  saint-etienne!"):
        found = names(client.get(API, params={"q": query}, headers=h))
        # « saint » also finds the abbreviated « ST » of registry names (here in Saint-Étienne)
        assert set(found) == {"EHPAD Saint-Étienne", "EHPAD ST ETIENNE"}, query
    found = names(client.get(API, params={"q": "ehpad saint etienne bourg"}, headers=h))
    assert found == ["EHPAD Saint-Étienne"]


def test_apostrophes_and_hyphens_split_words(client, h):
    assert names(client.get(API, params={"q": "albizia"}, headers=h)) == [
        "EHPAD Résidence L'Albizia"
    ]
    assert names(client.get(API, params={"q": "ssiad amberieu"}, headers=h)) == ["SSIAD d'Ambérieu"]


def test_prefix_while_typing(client, h):
    assert names(client.get(API, params={"q": "ssiad péro"}, headers=h)) == ["SSIAD de Péronnas"]
    assert names(client.get(API, params={"q": "albiz"}, headers=h)) == ["EHPAD Résidence L'Albizia"]
    for typed in ("ehpad saint eti", "EHPAD Saint-Ét", "ehpad st etienn"):
        found = names(client.get(API, params={"q": typed}, headers=h))
        assert set(found) == {"EHPAD Saint-Étienne", "EHPAD ST ETIENNE"}, typed
    # when nothing matches exactly, every word is tried as a prefix
    broad = client.get(API, params={"q": "ssi bur"}, headers=h).json()
    assert broad["broadened"] is True
    assert [r["name"] for r in broad["results"]] == ["SSIAD du Bassin Burgien"]


def test_small_words_are_not_required(client, h):
    assert "SSIAD d'Ambérieu" in names(client.get(API, params={"q": "ssiad à ambérieu"}, headers=h))


def test_category_acronym_and_number_and_place(client, h):
    # « ssiad » is the acronym of category 354, found even if the name lacked it
    assert len(names(client.get(API, params={"q": "ssiad"}, headers=h))) == 4
    assert names(client.get(API, params={"q": "010000024"}, headers=h)) == ["SSIAD de Péronnas"]
    found = names(client.get(API, params={"q": "ssiad bourg en bresse"}, headers=h))
    assert found == ["SSIAD du Bassin Burgien"]


def test_filters(client, h):
    by_category = names(client.get(API, params={"category": "354"}, headers=h))
    assert sorted(by_category) == sorted(
        ["SSIAD du Bassin Burgien", "SSIAD de Péronnas", "SSIAD d'Ambérieu", "SSIAD de Lyon 3e"]
    )
    assert names(client.get(API, params={"category": "500", "department": "2a"}, headers=h)) == [
        "EHPAD U Castellu"
    ]
    in_bourg = names(client.get(API, params={"commune": "Bourg-en-Bresse"}, headers=h))
    assert "EHPAD Les Anciens" not in in_bourg  # closed: hidden by default
    assert "Association Saint-Étienne Santé" in in_bourg
    with_closed = names(
        client.get(API, params={"commune": "01000", "open_only": "false"}, headers=h)
    )
    assert "EHPAD Les Anciens" in with_closed
    assert names(client.get(API, params={"q": "saint etienne", "kind": "EJ"}, headers=h)) == [
        "Association Saint-Étienne Santé"
    ]


def test_distance_from_a_commune_sorted_by_distance(client, h):
    body = client.get(
        API,
        params={"category": "354", "near_commune": "Bourg-en-Bresse", "radius_km": 15},
        headers=h,
    ).json()
    assert [r["name"] for r in body["results"]] == ["SSIAD du Bassin Burgien", "SSIAD de Péronnas"]
    assert body["sort"] == "distance"
    assert body["center"]["label"].startswith("BOURG EN BRESSE")
    assert body["results"][0]["distance_km"] < body["results"][1]["distance_km"] < 15
    wider = names(
        client.get(
            API,
            params={"q": "ssiad", "near_commune": "01000", "radius_km": 40},
            headers=h,
        )
    )
    assert wider == ["SSIAD du Bassin Burgien", "SSIAD de Péronnas", "SSIAD d'Ambérieu"]


def test_distance_from_a_point_and_relevance_sort(client, h):
    body = client.get(
        API,
        params={"q": "ssiad", "near": "45.7597,4.8422", "radius_km": 5, "sort": "relevance"},
        headers=h,
    ).json()
    assert [r["name"] for r in body["results"]] == ["SSIAD de Lyon 3e"]
    assert body["results"][0]["distance_km"] == 0.0


def test_pagination(client, h):
    first = client.get(API, params={"q": "pharmacie", "per_page": 10}, headers=h).json()
    assert first["total"] == 25 and first["pages"] == 3 and len(first["results"]) == 10
    last = client.get(API, params={"q": "pharmacie", "per_page": 10, "page": 3}, headers=h).json()
    assert len(last["results"]) == 5 and last["total"] == 25
    beyond = client.get(API, params={"q": "pharmacie", "page": 9}, headers=h).json()
    assert beyond["results"] == [] and beyond["total"] == 25
    seen = {
        r["id"]
        for p in (1, 2, 3)
        for r in client.get(
            API, params={"q": "pharmacie", "per_page": 10, "page": p, "sort": "name"}, headers=h
        ).json()["results"]
    }
    assert len(seen) == 25


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "!!!"}, "aucun mot"),
        ({"q": "x" * 201}, "trop longue"),
        ({"near": "au bord de la Loue"}, "latitude,longitude"),
        ({"near": "91,5"}, "hors limites"),
        ({"near_commune": "Atlantide"}, "inconnue"),
        ({"near_commune": "Bourg", "near": "46,5"}, "pas les deux"),
        ({"radius_km": "10"}, "point de départ"),
        ({"near_commune": "01000", "radius_km": "0"}, "rayon"),
        ({"near_commune": "01000", "radius_km": "5000"}, "rayon"),
        ({"sort": "distance"}, "point de départ"),
        ({"sort": "hasard"}, "Tri inconnu"),
        ({"department": "99"}, "Département"),
        ({"category": "EHPAD"}, "Catégorie"),
        ({"kind": "XX"}, "Type"),
        ({"page": "0"}, "page"),
        ({"per_page": "1000"}, "par page"),
        ({"page": "abc"}, "page"),
    ],
)
def test_bad_queries_are_clear_400(client, h, params, message):
    response = client.get(API, params=params, headers=h)
    assert response.status_code == 400, response.text
    body = response.json()
    assert message.lower() in (body["detail"] + str(body.get("errors", ""))).lower()


def test_structure_detail_and_links(client, h):
    found = client.get(API, params={"q": "010000081"}, headers=h).json()["results"][0]
    detail = client.get(f"{API}/{found['id']}", headers=h).json()
    assert detail["finess"] == "010000081"
    assert detail["category_label"].startswith("Établissement d'hébergement")
    assert detail["departement"] == "01"
    assert detail["phone"] == "0474000001"
    assert detail["legal_entity"]["name"] == "Association Saint-Étienne Santé"
    ej = client.get(f"{API}/finess/010000990", headers=h).json()
    assert ej["kind"] == "EJ" and [e["finess"] for e in ej["establishments"]] == ["010000081"]
    assert ej["legal_status_label"] == "Association loi 1901 non reconnue d'utilité publique"
    assert client.get(f"{API}/finess/12", headers=h).status_code == 400
    missing = client.get(f"{API}/finess/990000002", headers=h)
    assert missing.status_code == 404 and "990000002" in missing.json()["detail"]
    assert client.get(f"{API}/999999", headers=h).status_code == 404


def test_professionals_search_and_detail(client, h):
    api = "/api/v1/directory/professionals"
    found = client.get(api, params={"q": "elodie brule"}, headers=h).json()["results"]
    assert [p["family_name"] for p in found] == ["Brûlé"]
    assert found[0]["idnps"] == "0019999999"
    assert client.get(api, params={"q": "médecine générale"}, headers=h).json()["total"] == 1
    near = client.get(
        api, params={"profession": "60", "near_commune": "Péronnas", "radius_km": 10}, headers=h
    ).json()
    assert [p["family_name"] for p in near["results"]] == ["Brûlé"]
    detail = client.get(f"{api}/{found[0]['id']}", headers=h).json()
    assert [r["structure_name"] for r in detail["roles"]] == [
        "SSIAD de Péronnas",
        "SSIAD de Lyon 3e",
    ]
    assert detail["has_account"] is False
    assert client.get(api, params={"profession": "infirmier"}, headers=h).status_code == 400


def test_communes_categories_and_sources(client, h):
    communes = client.get("/api/v1/directory/communes", params={"q": "bourg"}, headers=h).json()
    assert communes[0]["code"] == "01053" and communes[0]["lat"] is not None
    categories = {
        c["code"]: c for c in client.get("/api/v1/directory/categories", headers=h).json()
    }
    assert categories["500"]["open_count"] == 4 and categories["500"]["count"] == 5
    sources = client.get("/api/v1/directory/sources", headers=h).json()
    assert any(s["name"] == "finess" for s in sources)


def test_every_role_of_every_structure_may_read(client, world, directory):
    for name in world.tokens:
        assert (
            client.get(API, params={"q": "ssiad"}, headers=bearer(world, name)).status_code == 200
        )


def test_openapi_documents_the_directory(client):
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert "/api/v1/directory/structures" in paths
    assert "/api/v1/directory/fhir/Organization/{structure_id}" in paths


def test_large_totals_are_capped(client, h, monkeypatch):
    from virage.directory import storage

    monkeypatch.setattr(storage, "COUNT_CAP", 10)
    body = client.get(API, params={"q": "pharmacie", "per_page": 5}, headers=h).json()
    assert body["total"] == 10 and body["total_exact"] is False
    exact = client.get(API, params={"q": "ssiad"}, headers=h).json()
    assert exact["total"] == 4 and exact["total_exact"] is True
