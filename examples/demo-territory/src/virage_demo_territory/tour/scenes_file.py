"""Scene 7 of the guided tour: the person's file.

The coordinator opens « Révisions à prévoir », opens the plan overdue for review (the GIR 2 person
of the demo), reads the objectives in the person's words, links a recent transmission to one of
them, and records a new version with the person's agreement and the next review date: the new
version is current, the old one kept, read-only. The secretariat opens the same file and reads no
part of the plan. Before leaving, she looks at the SSIAD's possible duplicates.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from virage_demo_territory.tour import Tour
from virage_demo_territory.tour.common import SSIAD, no_horizontal_scroll
from virage_demo_territory.tour.server import TourError

CARE_OBJECTIVE = "Ne plus me perdre dans la maison"
NEW_WORDS = "Aller voir ma sœur le dimanche"


def coordinator_reviews_a_plan(t: Tour) -> None:
    ssiad = t.structure(SSIAD)
    page = t.phone("ines.coordination")
    page.goto(f"{t.url}/dossier/revisions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Révisions à prévoir")
    overdue = page.locator("li").filter(has_text="en retard")
    expect(overdue).to_have_count(1)
    no_horizontal_scroll(page)
    t.shot(
        page,
        "dossier-revisions-a-prevoir",
        "Inès, infirmière coordinatrice, ouvre « Révisions à prévoir » : un projet personnalisé "
        "a passé sa date de révision. Elle passe voir la personne pour le revoir avec elle.",
    )

    overdue.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dossier de ")
    person_id = int(re.search(r"/personnes/(\d+)/dossier", page.url).group(1))
    plan = page.locator("#projet")
    expect(plan).to_contain_text("Version 1")
    expect(plan).to_contain_text("« Rester chez moi avec mon chat »")
    expect(plan).to_contain_text(f"« {CARE_OBJECTIVE} »")
    care = plan.locator("article.card").filter(has_text=CARE_OBJECTIVE)
    link = care.get_by_role("button", name="Rattacher")
    if link.count():  # the file shows what was written about each objective
        link.click()
        care = page.locator("#projet article.card").filter(has_text=CARE_OBJECTIVE)
        expect(care).to_contain_text("1 transmission rattachée")
    care.scroll_into_view_if_needed()
    no_horizontal_scroll(page)
    t.shot(
        page,
        "dossier-projet-a-reviser",
        "Chez la personne, Inès ouvre le projet : les objectifs sont écrits avec ses mots, l'objectif "
        "de soins porte sa marque, et les transmissions qui en parlent y sont rattachées.",
    )

    page.goto(f"{t.url}/personnes/{person_id}/dossier")
    page.get_by_role("link", name="Réviser le projet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réviser le projet personnalisé")
    expect(page.locator("#o0_words")).to_have_value("Rester chez moi avec mon chat")
    page.locator("#o1_actions").fill(
        "Repères visuels, lumière la nuit ; une veilleuse dans le couloir"
    )
    page.locator("#o2_words").fill(NEW_WORDS)
    page.locator("#o2_actions").fill("Être prête à 14 h, sa nièce vient la chercher")
    page.locator("#o2_who").fill("aide-soignante du dimanche")
    review_on = date.today() + timedelta(days=182)
    page.get_by_label("Date de révision").fill(review_on.isoformat())
    page.get_by_label("Comment la personne a participé").select_option("entretien")
    page.get_by_label("Qui a donné son accord").fill("la personne elle-même")
    page.get_by_label("Qui a donné son accord").scroll_into_view_if_needed()
    no_horizontal_scroll(page)
    t.shot(
        page,
        "dossier-projet-revision",
        "Elle revoit le projet en entretien avec la personne : un objectif de plus, dit avec ses "
        "mots, une action précisée, la prochaine révision dans six mois, et son accord.",
    )
    page.get_by_role("button", name="Enregistrer la nouvelle version").click()

    plan = page.locator("#projet")
    expect(plan).to_contain_text("Version 2")
    expect(plan).to_contain_text(f"« {NEW_WORDS} »")
    expect(plan).to_contain_text("en entretien avec la personne")
    expect(plan).to_contain_text("(la personne elle-même)")
    older = plan.locator("details")
    older.locator("summary").click()
    expect(older.get_by_role("link", name=re.compile("^Version 1 du "))).to_be_visible()
    older.scroll_into_view_if_needed()
    t.shot(
        page,
        "dossier-projet-nouvelle-version",
        "La version 2 est celle en cours ; la version 1 reste consultable, en lecture seule, "
        "avec la façon dont la personne avait participé.",
    )
    older.get_by_role("link", name=re.compile("^Version 1 du ")).click()
    expect(page.locator("body")).to_contain_text("en lecture seule")
    page.goto(f"{t.url}/dossier/revisions")
    expect(page.locator("li").filter(has_text="en retard")).to_have_count(0)
    if not any(e["action"] == "dossier.plan.written" for e in t.audit_of(person_id)):
        raise TourError("la nouvelle version du projet n'est pas inscrite au journal des accès")

    desk = t.desk("lea.secretariat")
    desk.goto(f"{t.url}/personnes/{person_id}/dossier")
    expect(desk.locator("#projet")).to_contain_text("lu par l'équipe de soins")
    html = desk.content()
    assert CARE_OBJECTIVE not in html and NEW_WORDS not in html, "le secrétariat lit le projet"

    page.goto(f"{t.url}/structures/{ssiad['id']}/personnes/doublons")
    expect(page.get_by_role("heading", level=1)).to_have_text("Doublons possibles")
    expect(page.locator("ul.list")).to_have_count(1)
    expect(page.locator("ul.list li")).to_have_count(2)
    no_horizontal_scroll(page)
    t.shot(
        page,
        "identite-doublons-possibles",
        "Avant de partir, Inès regarde les doublons possibles du SSIAD : le secrétariat a créé "
        "un second dossier d'une même personne, sans les accents. Elle vérifiera sa pièce "
        "d'identité avant de fusionner les deux.",
    )
