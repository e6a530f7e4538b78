"""The support plan from the pages: versions (the old one kept read-only), a transmission linked
to an objective, the reviews to plan; bad input refused in French with nothing changed; the RGPD
export and the purge; the command line."""

from __future__ import annotations

import json
import re

from tests.accounts.sql import query
from tests.dossier.conftest import PLAN, bearer, csrf_from, login, write_assessment, write_plan
from tests.transmissions.conftest import write
from virage.cli import main
from virage.db import connect


def _form(client, path):
    page = client.get(path)
    assert page.status_code == 200, page.text
    return page, csrf_from(page.text)


def test_write_then_revise_the_plan_from_the_pages(client, world):
    p1 = world.persons["p1"]
    login(client, "coord_a")
    page, token = _form(client, f"/personnes/{p1}/dossier/projet/nouveau")
    assert "Écrire le projet personnalisé" in page.text
    response = client.post(
        f"/personnes/{p1}/dossier/projet/nouveau",
        data={
            "_csrf_token": token,
            "o0_words": "Aller au marché le samedi",
            "o0_who": "aide à domicile",
            "o1_words": "Moins souffrir du dos",
            "o1_care": "1",
            "o2_words": "",
            "review_on": "2027-03-01",
            "agreed_how": "entretien",
            "agreed_on": "2026-12-01",
            "agreed_by": "Mme Durand",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    dossier = client.get(f"/personnes/{p1}/dossier").text
    assert "Aller au marché le samedi" in dossier and "1er mars 2027" in dossier
    # a transmission refers to the first objective
    written = write(client, world, "nurse_a", data="Est allée au marché avec sa voisine.")
    assert written.status_code == 201
    objectives = client.get(
        f"/api/v1/persons/{p1}/dossier/plan", headers=bearer(world, "coord_a")
    ).json()["objectives"]
    first = objectives[0]["id"]
    dossier_page = client.get(f"/personnes/{p1}/dossier")
    response = client.post(
        f"/personnes/{p1}/dossier/objectifs/{first}/transmissions",
        data={"_csrf_token": csrf_from(dossier_page.text), "transmission_id": written.json()["id"]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    dossier = client.get(f"/personnes/{p1}/dossier").text
    assert "1 transmission rattachée" in dossier
    # revise: the form starts from the current objectives; the link follows the objective
    page, token = _form(client, f"/personnes/{p1}/dossier/projet/nouveau")
    assert "Aller au marché le samedi" in page.text and 'name="o0_origin"' in page.text
    response = client.post(
        f"/personnes/{p1}/dossier/projet/nouveau",
        data={
            "_csrf_token": token,
            "o0_words": "Aller au marché le samedi, même l'hiver",
            "o0_origin": str(first),
            "review_on": "2027-09-01",
            "agreed_how": "representant",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    plan = client.get(f"/api/v1/persons/{p1}/dossier/plan", headers=bearer(world, "coord_a")).json()
    assert plan["plan"]["version"] == 2
    assert plan["objectives"][0]["transmission_ids"] == [written.json()["id"]]
    old = plan["versions"][1]
    assert old["status"] == "superseded"
    version = client.get(f"/personnes/{p1}/dossier/projet/{old['id']}").text
    assert "en lecture seule" in version and "Moins souffrir du dos" in version
    assert "Rattacher" not in version


def test_bad_input_is_refused_in_french_and_nothing_changes(client, world):
    p1 = world.persons["p1"]
    assert write_plan(client, world).status_code == 201
    cases = [
        ({**PLAN, "objectives": []}, "au moins un objectif"),
        ({**PLAN, "review_on": "demain"}, "date invalide"),
        ({**PLAN, "review_on": ""}, "date de révision"),
        ({**PLAN, "agreed_how": "télépathie"}, "Choisissez dans la liste"),
    ]
    for body, message in cases:
        response = write_plan(client, world, body=body)
        assert response.status_code == 400 and message in response.json()["detail"], body
    bad = write_assessment(client, world, answers={"coherence": "Z"})
    assert bad.status_code == 400 and "Cohérence" in bad.json()["detail"]
    unknown = write_assessment(client, world, questionnaire="inconnu")
    assert unknown.status_code == 404
    plan = client.get(f"/api/v1/persons/{p1}/dossier/plan", headers=bearer(world, "coord_a"))
    assert plan.json()["plan"]["version"] == 1
    assert query(world.settings.db_path, "SELECT count(*) FROM dossier_assessments") == [(0,)]
    # a transmission of another person cannot be linked
    other = write(client, world, "nurse_b", person="p2")
    objective = plan.json()["objectives"][0]["id"]
    response = client.post(
        f"/api/v1/persons/{p1}/dossier/objectives/{objective}/transmissions",
        json={"transmission_id": other.json()["id"]},
        headers=bearer(world, "coord_a"),
    )
    assert response.status_code == 404


def test_the_assessment_form_shows_the_gir(client, world):
    p1 = world.persons["p1"]
    login(client, "nurse_a")
    page, token = _form(client, f"/personnes/{p1}/dossier/evaluations/aggir")
    assert "Cohérence" in page.text and "Légifrance" in page.text
    answers = {f"q_{k}": "A" for k in ("coherence", "orientation", "toilette", "habillage")}
    answers |= {f"q_{k}": "A" for k in ("alimentation", "elimination", "transferts")}
    answers |= {"q_deplacement_interieur": "A", "q_deplacement_exterieur": "C"}
    answers |= {"q_communication": "B", "q_toilette": "B"}
    response = client.post(
        f"/personnes/{p1}/dossier/evaluations/aggir",
        data={
            **answers,
            "_csrf_token": token,
            "respondent": "personne",
            "answered_on": "2026-12-02",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    dossier = client.get(f"/personnes/{p1}/dossier").text
    assert "GIR 5" in dossier and "2 décembre 2026" in dossier


def test_rgpd_export_and_purge(client, world, monkeypatch):
    p1 = world.persons["p1"]
    assert write_plan(client, world).status_code == 201
    assert write_assessment(client, world).status_code == 201
    director = client.get(f"/api/v1/persons/{p1}/export", headers=bearer(world, "director_a"))
    mine = director.json()["autres_donnees"]["virage.dossier.plugin"]
    assert [o["words"] for o in mine["objectifs"]] == [PLAN["objectives"][0]["words"]]
    assert "evaluations" not in mine and "objectifs_soins" not in mine
    complete = client.post(
        f"/api/v1/persons/{p1}/export",
        json={"motif": "Demande d'accès de la personne du 3 mars"},
        headers=bearer(world, "dpo_a"),
    ).json()["autres_donnees"]["virage.dossier.plugin"]
    assert complete["evaluations"][0]["result"] == "GIR 2"
    assert client.post(f"/api/v1/persons/{p1}/close", headers=bearer(world, "coord_a")).is_success
    assert write_plan(client, world).status_code == 409
    db = connect(world.settings.db_path)
    db.execute("UPDATE persons SET closed_at = '2019-01-01T00:00:00+00:00' WHERE id = ?", [p1])
    db.commit()
    db.close()
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    assert main(["persons", "purge", "--apply"]) == 0
    for table in ("dossier_plans", "dossier_objectives", "dossier_assessments"):
        assert query(world.settings.db_path, f"SELECT count(*) FROM {table}") == [(0,)]


def test_the_command_line_exports_and_imports(client, world, monkeypatch, tmp_path, capsys):
    p1 = world.persons["p1"]
    assert write_plan(client, world).status_code == 201
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    out = tmp_path / "dossier.json"
    args = ["dossier", "exporter", "--personne", str(p1), "--compte", "coord_a", "--sortie"]
    assert main([*args, str(out)]) == 0
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle"
    b = world.structures["b"]
    assert (
        main(["dossier", "importer", str(out), "--structure", str(b), "--compte", "coord_b"]) == 0
    )
    assert "1 dossier importé" in capsys.readouterr().out
    assert main(["dossier", "exporter", "--compte", "coord_a"]) != 0


def test_a_social_worker_revises_and_the_care_objective_is_carried_over(client, world):
    from virage.accounts import lookups

    p1 = world.persons["p1"]
    assert write_plan(client, world).status_code == 201
    db = connect(world.settings.db_path)
    lookups.add_to_care_team(db, p1, world.users["social_a"], world.users["coord_a"])
    db.commit()
    db.close()
    login(client, "social_a")
    page, token = _form(client, f"/personnes/{p1}/dossier/projet/nouveau")
    assert "repris tel quel" in page.text
    form = dict(re.findall(r'<input type="hidden" name="(o\d+_\w+)" value="([^"]*)"', page.text))
    response = client.post(
        f"/personnes/{p1}/dossier/projet/nouveau",
        data={
            **form,
            "_csrf_token": token,
            "o0_words": "Sortir au jardin chaque jour",
            "review_on": "2027-03-01",
            "agreed_how": "entretien",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    plan = client.get(f"/api/v1/persons/{p1}/dossier/plan", headers=bearer(world, "coord_a"))
    objectives = [(o["words"], bool(o["care"])) for o in plan.json()["objectives"]]
    assert ("Sortir au jardin chaque jour", False) in objectives
    assert ("Que mes pansements cicatrisent", True) in objectives
    # changing the care objective is refused
    care = next(o for o in plan.json()["objectives"] if o["care"])
    changed = {
        **PLAN,
        "objectives": [{"words": "Autre chose", "care": True, "origin_id": care["id"]}],
    }
    response = write_plan(client, world, name="social_a", body=changed)
    assert response.status_code == 400 and "objectif de soins" in response.json()["detail"]
