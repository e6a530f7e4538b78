"""« Réglages de la structure » by attack: the sections contributed through the hook
``structure_settings_sections`` (conservation, agenda, transmissions), for the director and the
network administrator only; a bad value gives a French message and stores nothing."""

from __future__ import annotations

from tests.accounts.test_structures_admin import audit_actions, clients, db, post  # noqa: F401
from virage.accounts import storage
from virage.agenda import kinds_storage
from virage.transmissions import structure_choice_storage as choice


def settings(world):
    return f"/structures/{world.structures['a']}/reglages"


def test_who_opens_the_settings(world, clients):  # noqa: F811
    page = settings(world)
    for name in ("director_a", "admin"):
        text = clients(name).get(page).text
        for title in ("Conservation des dossiers", "Agenda", "Transmissions"):
            assert title in text, (name, title)
    for name in ("nurse_a", "secretary_a", "coord_a", "dpo_a"):
        assert clients(name).get(page).status_code == 403, name
    assert clients("coord_b").get(page).status_code == 404


def test_retention_refuses_bad_input_and_audits(world, clients, db):  # noqa: F811
    a, page = world.structures["a"], settings(world)
    director = clients("director_a")
    for bad in ("abc", "0", "31", "-2", ""):
        response = post(director, page, f"{page}/conservation", {"retention_years": bad})
        assert response.status_code == 400, bad
        assert "Durée de conservation" in response.text
        assert storage.get_structure(db, a)["retention_years"] == 5
    ok = post(director, page, f"{page}/conservation", {"retention_years": "12"})
    assert ok.status_code == 303
    assert storage.get_structure(db, a)["retention_years"] == 12
    row = db.execute(
        "SELECT details FROM audit_log WHERE action = 'structures.settings.section'"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert '"conservation"' in row[0] and "12" in row[0]
    # The network administrator too; another structure's worker, a forged post: refused.
    assert (
        post(clients("admin"), page, f"{page}/conservation", {"retention_years": "10"}).status_code
        == 303
    )
    assert storage.get_structure(db, a)["retention_years"] == 10
    nurse = clients("nurse_a")
    nurse.get("/moi")
    forged = nurse.post(
        f"{page}/conservation",
        data={"retention_years": "1", "_csrf_token": nurse.cookies.get("virage_csrf", "")},
    )
    assert forged.status_code == 403
    assert storage.get_structure(db, a)["retention_years"] == 10
    assert post(director, page, f"{page}/inconnue", {"x": "1"}).status_code == 404


def test_agenda_kinds_in_use_and_privacy(world, clients, db):  # noqa: F811
    a, page = world.structures["a"], settings(world)
    director = clients("director_a")
    bad = post(director, page, f"{page}/agenda", {"calendar_privacy": "tout", "kinds": ["meeting"]})
    assert bad.status_code == 400 and "abonnements" in bad.text
    none = post(director, page, f"{page}/agenda", {"calendar_privacy": "none"})
    assert none.status_code == 400 and "au moins un type" in none.text
    unknown = post(director, page, f"{page}/agenda", {"calendar_privacy": "none", "kinds": ["x"]})
    assert unknown.status_code == 400
    assert kinds_storage.unused(db, a) == set()
    ok = post(
        director,
        page,
        f"{page}/agenda",
        {"calendar_privacy": "none", "kinds": ["home_visit", "meeting"]},
    )
    assert ok.status_code == 303
    assert {"on_call", "structure_appointment"} <= kinds_storage.unused(db, a)
    form = clients("coord_a").get(f"/agenda/structures/{a}/nouveau").text
    assert "Astreinte" not in form and "Réunion" in form
    assert "structures.settings.section" in audit_actions(db, a)


def test_transmission_targets_in_use(world, clients, db):  # noqa: F811
    a, page = world.structures["a"], settings(world)
    director = clients("director_a")
    assert post(director, page, f"{page}/transmissions", {}).status_code == 400
    forged = post(director, page, f"{page}/transmissions", {"targets": ["pirate"]})
    assert forged.status_code == 400 and "inconnu" in forged.text
    ok = post(director, page, f"{page}/transmissions", {"targets": ["douleur", "chute"]})
    assert ok.status_code == 303
    unused = choice.unused(db, a)["target"]
    assert "sommeil" in unused and "douleur" not in unused
    p1 = world.persons["p1"]
    form = clients("nurse_a").get(f"/personnes/{p1}/transmissions/nouvelle")
    if form.status_code == 200:
        assert "Sommeil" not in form.text and "Douleur" in form.text
