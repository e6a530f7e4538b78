"""Questionnaires declared by a plugin (hook ``register_questionnaires``, SDK types): offered in
the file, answers checked and stored with their date and who answered, the plugin's result kept;
a code already taken (the core's ``aggir``) is ignored."""

from __future__ import annotations

from litestar.testing import TestClient

from tests.dossier.conftest import bearer, login
from virage.app import create_app
from virage.sdk import Questionnaire, QuestionnaireItem, hookimpl

PAIN = Questionnaire(
    code="douleur_test",
    title="Douleur (échelle numérique)",
    items=(
        QuestionnaireItem("intensite", "Intensité de 0 à 10", "number"),
        QuestionnaireItem("lieu", "Où ?", "text", required=False),
    ),
    source="Éditeur fictif, méthode d'essai, 2026",
    score=lambda answers: f"douleur {answers['intensite']}/10",
)


class PainPlugin:
    __name__ = "pain-test"

    @hookimpl
    def register_questionnaires(self):
        return [PAIN, Questionnaire("aggir", "Fausse grille", items=())]


def test_a_plugin_questionnaire(world):
    app = create_app(world.settings, plugins=[PainPlugin()])
    p1 = world.persons["p1"]
    with TestClient(app) as client:
        login(client, "nurse_a")
        page = client.get(f"/personnes/{p1}/dossier")
        assert "Douleur (échelle numérique)" in page.text and "Fausse grille" not in page.text
        body = {
            "questionnaire": "douleur_test",
            "answers": {"intensite": "7", "lieu": "genou droit", "autre": "ignoré"},
            "answered_on": "2026-12-02",
            "respondent": "personne",
        }
        path = f"/api/v1/persons/{p1}/dossier/assessments"
        response = client.post(path, json=body, headers=bearer(world, "nurse_a"))
        assert response.status_code == 201 and response.json()["result"] == "douleur 7/10"
        bad = client.post(
            path,
            json={**body, "answers": {"intensite": "beaucoup"}},
            headers=bearer(world, "nurse_a"),
        )
        assert bad.status_code == 400 and "attend un nombre" in bad.json()["detail"]
        rows = client.get(path, headers=bearer(world, "nurse_a")).json()
        assert [r["responses"] for r in rows] == [{"intensite": "7", "lieu": "genou droit"}]
        assert rows[0]["title"] == "Douleur (échelle numérique)"
