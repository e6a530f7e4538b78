"""Every page of the accounts domain renders for every role (no 500), and says the right things."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import csrf_from, login

ROLES = [
    "director_a",
    "dpo_a",
    "coord_a",
    "nurse_a",
    "nurse2_a",
    "care_a",
    "secretary_a",
    "social_a",
    "nurse_b",
    "admin",
]


@pytest.mark.parametrize("user", ROLES)
def test_pages_render_for_every_role(client, world, user):
    assert login(client, user).status_code == 303
    a, p1 = world.structures["a"], world.persons["p1"]
    for path in [
        "/",
        "/moi",
        "/moi/enregistrements",
        f"/structures/{a}/personnes",
        f"/structures/{a}/personnes?statut=closed&q=dur",
        f"/personnes/{p1}",
        f"/structures/{a}/journal",
        f"/structures/{a}/jetons",
        f"/structures/{a}/personnes/nouvelle",
    ]:
        r = client.get(path)
        assert r.status_code in (200, 403, 404), (path, r.status_code)
        assert "Erreur interne" not in r.text, path
        if r.status_code != 200:
            assert 'role="alert"' in r.text or "Accès" in r.text, path


def test_what_is_recorded_about_me_lists_my_accesses(client, world):
    login(client, "nurse2_a")
    client.get(f"/personnes/{world.persons['p1']}")  # refused: not in the care team
    page = client.get("/moi/enregistrements")
    assert page.status_code == 200
    assert "nurse2_a" in page.text
    assert "refusé" in page.text and "persons.read" in page.text
    assert "géolocalisation" in page.text


def test_secretary_creates_a_person_through_the_form(client, world):
    login(client, "secretary_a")
    a = world.structures["a"]
    form = client.get(f"/structures/{a}/personnes/nouvelle")
    assert "Informations de santé" not in form.text  # the secretariat writes no health content
    r = client.post(
        f"/structures/{a}/personnes",
        data={
            "_csrf_token": csrf_from(form.text),
            "family_name": "Nouveau",
            "given_names": "Léon",
            "birth_date": "1941-05-02",
            "postcode": "39600",
            "city": "Loue",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    record = client.get(r.headers["location"])
    assert "Léon NOUVEAU" in record.text


def test_bad_form_input_gives_french_field_messages(client, world):
    login(client, "secretary_a")
    a = world.structures["a"]
    form = client.get(f"/structures/{a}/personnes/nouvelle")
    r = client.post(
        f"/structures/{a}/personnes",
        data={
            "_csrf_token": csrf_from(form.text),
            "family_name": "",
            "given_names": "Léon",
            "postcode": "12",
        },
    )
    assert r.status_code == 400
    assert "5 chiffres" in r.text and "family_name" in r.text


def test_director_exports_journal_as_csv(client, world):
    login(client, "director_a")
    journal = f"/structures/{world.structures['a']}/journal"
    r = client.get(f"{journal}?format=csv&personne={world.persons['p1']}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.text.splitlines()[0].startswith("id;date (UTC);auteur")
    assert client.get(f"{journal}?format=csv").status_code == 403  # the whole journal: the DPO's
    r = client.get(journal)
    assert "audit.export" in r.text  # the export itself is traced


def test_tokens_page_creates_and_revokes(client, world):
    login(client, "director_a")
    a = world.structures["a"]
    page = client.get(f"/structures/{a}/jetons")
    r = client.post(
        f"/structures/{a}/jetons", data={"_csrf_token": csrf_from(page.text), "name": "Logiciel RH"}
    )
    assert r.status_code == 200 and "vrg_" in r.text
    secret = r.text.split('id="token-secret">')[1].split("<")[0]
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    )
    token_id = r.text.split("/jetons/")[1].split("/")[0]
    client.post(
        f"/structures/{a}/jetons/{token_id}/revoquer", data={"_csrf_token": csrf_from(r.text)}
    )
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )
