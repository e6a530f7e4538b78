"""Scenes 5 and 6 of the guided tour: trust, shown.

5. the direction reads the audit trail, without reading the care content;
6. a worker sees everything Virage records about her.
"""

from __future__ import annotations

from playwright.sync_api import expect

from virage_demo_territory.tour import Tour
from virage_demo_territory.tour.common import SSIAD, full_name

# ---------------------------------------------------------------------------- 5


def director_reads_the_trail(t: Tour) -> None:
    person = t.persons_followed_by(SSIAD, "nadia.nuit", "sophie.matin")[0]

    page = t.desk("claire.direction")
    page.goto(f"{t.url}/moi")
    page.locator(".card").filter(has_text=SSIAD).get_by_role(
        "link", name="Journal des accès"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal des accès")
    rows = page.locator("tbody tr")
    expect(
        rows.filter(has_text="Sophie Lambert (sophie.matin)").filter(
            has_text="Prise de connaissance d'une transmission"
        )
    ).to_have_count(1)
    expect(
        rows.filter(has_text="Nadia Benali (nadia.nuit)").filter(
            has_text="Écriture d'une transmission"
        )
    ).not_to_have_count(0)
    t.shot(
        page,
        "journal-des-acces-direction",
        "Claire, directrice du SSIAD, lit le journal des accès : chaque lecture et chaque "
        "écriture de la nuit et du matin y figure, avec son auteur ; personne ne peut le "
        "modifier.",
    )

    page.goto(f"{t.url}/personnes/{person['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(full_name(person))
    expect(page.get_by_role("heading", name="Informations de santé")).to_have_count(0)
    expect(page.get_by_role("heading", name="Transmissions")).to_have_count(0)
    assert "hématome au coude" not in page.content(), "la direction lit la transmission"
    log = page.locator("#acces")
    for who in ("Nadia Benali", "Inès Roussel", "Sophie Lambert"):
        expect(log).to_contain_text(who)
    log.scroll_into_view_if_needed()
    t.shot(
        page,
        "qui-a-consulte-le-dossier",
        "Dans le dossier, elle voit qui a consulté et écrit quoi, sans accéder elle-même au "
        "contenu de santé : le secret est celui de l'équipe de soins.",
    )


# ---------------------------------------------------------------------------- 6


def worker_sees_her_records(t: Tour) -> None:
    page = t.phone("sophie.matin")
    page.goto(f"{t.url}/moi/enregistrements")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce qui est enregistré sur moi")
    expect(page.get_by_text("pas de géolocalisation")).to_be_visible()
    journal = page.locator("#journal ~ div tbody tr")
    expect(journal.filter(has_text="Prise de connaissance d'une transmission")).not_to_have_count(0)
    t.shot(
        page,
        "ce-qui-est-enregistre-sur-moi",
        "En fin de tournée, Sophie ouvre « Ce qui est enregistré sur moi » : son compte, ses "
        "rôles, ses sessions, ses équipes… et rien d'autre, ni géolocalisation ni mesure de "
        "productivité.",
    )
    page.locator("#journal").scroll_into_view_if_needed()
    t.shot(
        page,
        "ce-qui-est-enregistre-sur-moi-journal",
        "Elle y retrouve aussi ses propres lignes du journal des accès, les mêmes que celles "
        "que lit sa direction.",
    )
