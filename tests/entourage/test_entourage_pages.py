"""The entourage's pages and the DLU: who sees what, forms, what is missing, one A4 page's limits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.accounts.sql import query
from tests.entourage.conftest import ALLERGY, TREATMENT, TRUSTED, add, csrf_from, login
from tests.entourage.conftest import words as text


def post_form(client, world, form, person="p1"):
    page = client.get("/moi")
    return client.post(
        f"/personnes/{world.persons[person]}/entourage",
        data={**form, "_csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )


def test_a_secretary_records_the_trusted_person_from_the_page(client, world):
    login(client, "secretary_a")
    pid = world.persons["p1"]
    record = text(client.get(f"/personnes/{pid}").text)
    assert "Entourage et santé déclarée" in record
    assert "Dossier de liaison d'urgence" not in record  # not for the secretariat
    r = post_form(client, world, TRUSTED)
    assert r.status_code == 303 and r.headers["location"].endswith("#trusted_person")
    said = text(client.get(f"/personnes/{pid}/entourage").text)
    assert "Marie Durand (fille)" in said and "Désignée le 2 mars 2026" in said
    assert "réservés à l'équipe de soins" in said and "Allergies déclarées" not in said
    assert "2026-03-02" not in said  # no ISO date on a page


def test_a_bad_form_is_a_french_page_and_nothing_is_stored(client, world):
    login(client, "secretary_a")
    r = post_form(client, world, {**TRUSTED, "declared_on": "", "name": "x" * 400})
    assert r.status_code == 400
    assert "Certaines informations ne sont pas valides" in text(r.text)
    assert query(world.settings.db_path, "SELECT count(*) FROM entourage_entries") == [(0,)]


def test_a_nurse_of_the_team_reads_and_writes_declared_health(client, world):
    login(client, "nurse_a")
    assert post_form(client, world, ALLERGY).status_code == 303
    said = text(client.get(f"/personnes/{world.persons['p1']}/entourage").text)
    assert "Pénicilline · urticaire" in said and "la personne elle-même, le 2 mars 2026" in said
    assert "Ce n'est pas un outil de prescription" in said


@pytest.mark.parametrize(
    ("user", "entourage", "dlu"),
    [
        ("secretary_a", 200, 403),
        ("director_a", 200, 403),
        ("coord_a", 200, 200),
        ("nurse_a", 200, 200),
        ("care_a", 200, 200),
        ("nurse2_a", 403, 403),
        ("social_a", 403, 403),
        ("coord_b", 404, 404),
    ],
)
def test_pages_by_role(client, world, user, entourage, dlu):
    login(client, user)
    pid = world.persons["p1"]
    assert client.get(f"/personnes/{pid}/entourage").status_code == entourage
    assert client.get(f"/personnes/{pid}/dlu").status_code == dlu


def test_the_dlu_says_what_is_missing_and_out_of_date(client, world):
    add(client, world, "nurse_a", TREATMENT)  # declared in January 2025: more than six months
    login(client, "nurse_a")
    said = text(client.get(f"/personnes/{world.persons['p1']}/dlu").text)
    assert "À compléter ou vérifier" in said
    assert "Aucune personne de confiance n'est enregistrée" in said
    assert "On ne sait pas si la personne a rédigé des directives anticipées" in said
    assert "Les allergies ne sont pas renseignées" in said
    assert "1 traitement déclaré il y a plus de six mois" in said
    assert "Metformine 500 mg · matin et soir" in said
    assert "Diabète, insuline le matin" in said  # the record's health notes
    audit = query(
        world.settings.db_path, "SELECT outcome FROM audit_log WHERE action = 'entourage.dlu.read'"
    )
    assert audit == [("allowed",)]


def test_the_dlu_is_complete_when_everything_is_recorded(client, world):
    add(client, world, "secretary_a", TRUSTED)
    add(client, world, "nurse_a", ALLERGY)
    recent = (date.today() - timedelta(days=10)).isoformat()
    add(client, world, "nurse_a", {**TREATMENT, "declared_on": recent})
    add(client, world, "nurse_a", {"kind": "directives", "detail": "non"})
    add(client, world, "secretary_a", {**TRUSTED, "kind": "relative", "may_know": "sante"})
    login(client, "coord_a")
    said = text(client.get(f"/personnes/{world.persons['p1']}/dlu").text)
    assert "À compléter ou vérifier La date de naissance n'est pas renseignée. Personne de" in said
    assert "Personne de confiance : Marie Durand (fille)" in said


def test_the_dlu_caps_its_lists_to_stay_on_one_page(client, world):
    for i in range(20):
        r = add(client, world, "nurse_a", {**TREATMENT, "detail": f"Médicament {i}"})
        assert r.status_code == 201
    login(client, "nurse_a")
    said = text(client.get(f"/personnes/{world.persons['p1']}/dlu").text)
    assert "Médicament 11" in said and "Médicament 12" not in said
    assert "Et 8 autres traitements : voir Virage." in said
