"""Scenes 1 and 2 of the guided tour: the field's morning.

1. the secretariat books a slot of the social worker, who finds it on her phone and in her
   calendar subscription (without the person's name);
2. the night nurse's urgent transmission is read by the morning team, and the coordination sees
   it was; the secretariat sees the person's file without it.
"""

from __future__ import annotations

import re
import urllib.request

import icalendar
from playwright.sync_api import expect

from virage_demo_territory.tour import Tour
from virage_demo_territory.tour.common import SOCIAL, SSIAD, full_name, no_horizontal_scroll

FALL = (
    "Retrouvée au sol au pied du lit à 3 h 40, consciente, se souvient de la chute. "
    "Douleur hanche gauche 5/10, hématome au coude."
)
FALL_ACTIONS = "Relevée à deux avec l'astreinte. TA 14/8, pouls 88. Médecin de garde appelé."

# ---------------------------------------------------------------------------- 1


def secretary_books_a_slot(t: Tour) -> None:
    person = t.persons_followed_by(SOCIAL, "julie.social")[0]

    page = t.desk("lea.secretariat")
    page.goto(f"{t.url}/agenda")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda partagé")
    section = page.locator("section", has=page.get_by_role("heading", name=SOCIAL))
    section.get_by_role("link", name="Trouver un créneau libre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver un créneau libre")
    page.get_by_role("checkbox", name=re.compile("Julie Caron")).check()
    page.get_by_label("Entre").fill("09:00")
    page.get_by_label("et", exact=True).fill("12:00")
    page.get_by_label("Durée (minutes)").fill("30")
    page.get_by_label("Type de rendez-vous").select_option("structure_appointment")
    page.get_by_role("button", name="Chercher les créneaux").click()
    results = page.locator("#h-resultats")
    expect(results).to_contain_text(re.compile(r"\d+ créneaux? libres?"))
    results.scroll_into_view_if_needed()
    t.shot(
        page,
        "agenda-creneaux-libres",
        "Léa, au secrétariat, cherche une demi-heure libre de Julie Caron, assistante sociale, "
        "entre 9 h et 12 h : Virage croise ses rendez-vous, ses horaires de travail et ses "
        "absences.",
    )

    page.get_by_role("link", name=re.compile("^Réserver")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prendre un rendez-vous")
    day = page.get_by_label("Date").input_value()
    start = page.get_by_label("Heure", exact=True).input_value()
    expect(page.get_by_role("checkbox", name=re.compile("Julie Caron"))).to_be_checked()
    page.get_by_label("Personne accompagnée", exact=True).select_option(str(person["id"]))
    page.get_by_label("Intitulé").fill("Entretien : dossier APA")
    page.get_by_label("À apporter").fill("Avis d'imposition, pièce d'identité")
    t.shot(
        page,
        "agenda-prise-de-rendez-vous",
        f"Elle réserve le premier créneau pour {person['given_names']} "
        f"{person['family_name']} : l'intitulé et les pièces à apporter suffisent, sans "
        "téléphoner à Julie.",
    )
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()
    expect(page.get_by_text("Rendez-vous enregistré.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Entretien : dossier APA")
    t.shot(
        page,
        "agenda-rendez-vous-enregistre",
        "Le rendez-vous est enregistré dans l'agenda partagé du service social.",
    )
    appointment_id = int(page.url.split("/rendez-vous/")[1].split("?")[0])

    phone = t.phone("julie.social")
    phone.goto(f"{t.url}/agenda/ma-journee?jour={day}")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ma journée")
    item = phone.locator(f"#rdv-{appointment_id}")
    expect(item).to_contain_text(start.replace(":", " h ").lstrip("0"))
    expect(item).to_contain_text(full_name(person))
    expect(item).to_contain_text("Avis d'imposition")
    item.scroll_into_view_if_needed()
    no_horizontal_scroll(phone)
    t.shot(
        phone,
        "agenda-ma-journee-telephone",
        "Julie le retrouve dans « Ma journée » sur son téléphone, à sa place dans la journée, "
        "avec l'adresse et ce que la personne doit apporter.",
        full_page=True,
    )

    phone.goto(f"{t.url}/agenda/abonnement")
    phone.get_by_role("button", name="Créer mon adresse d'abonnement").click()
    feed_url = phone.locator("#feed-url").inner_text()
    assert feed_url.startswith(f"{t.url}/agenda/flux/vcal_"), feed_url
    phone.get_by_role("heading", name="Comment s'abonner").scroll_into_view_if_needed()
    t.shot(
        phone,
        "agenda-abonnement-telephone",
        "Si elle préfère l'agenda de son téléphone, elle s'y abonne : il reçoit ses rendez-vous "
        "sans le nom des personnes ni aucune information de santé.",
    )
    _check_feed(feed_url, appointment_id, person)


def _check_feed(url: str, appointment_id: int, person: dict) -> None:
    """The iCalendar feed has the appointment, without the person's name nor the details."""
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    events = [
        e
        for e in calendar.walk("VEVENT")
        if str(e["uid"]).startswith(f"virage-agenda-{appointment_id}@")
    ]
    assert len(events) == 1, "le rendez-vous manque dans l'abonnement de calendrier"
    text = events[0].to_ical().decode()
    assert str(events[0]["summary"]).startswith("Rendez-vous à la structure — ")
    assert person["family_name"] not in text and "APA" not in text, "l'abonnement en dit trop"


# ---------------------------------------------------------------------------- 2


def night_to_morning(t: Tour) -> None:
    person = t.persons_followed_by(SSIAD, "nadia.nuit", "sophie.matin")[0]
    name = full_name(person)

    page = t.phone("nadia.nuit")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Transmissions"
    ).click()
    page.get_by_role("link", name="Écrire une transmission").click()
    page.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle transmission")
    page.locator("label[for=cible-chute]").click()
    page.get_by_role("link", name="Chute à domicile").click()  # a template fills the parts
    page.get_by_label("Données").fill(FALL)
    page.get_by_label("Actions").fill(FALL_ACTIONS)
    page.locator("label[for=priorite-urgent]").click()
    no_horizontal_scroll(page)
    t.shot(
        page,
        "transmissions-formulaire-telephone",
        f"Pendant la nuit, Nadia, infirmière, note sur son téléphone la chute de {name}, en "
        "données, actions et résultats (DAR), avec la cible « Chute » et la priorité urgente.",
        full_page=True,
    )
    page.get_by_role("button", name="Enregistrer la transmission").click()
    expect(page.get_by_text("Transmission enregistrée.")).to_be_visible()
    first = page.locator("article.tr").first
    expect(first).to_contain_text("Urgente")
    expect(first).to_contain_text("hématome au coude")
    t.shot(
        page,
        "transmissions-fil-personne",
        "La transmission ouvre le fil de la personne, lisible par sa seule équipe de soins.",
    )

    page = t.phone("ines.coordination")
    page.goto(f"{t.url}/transmissions")
    page.get_by_role("link", name="1 transmission urgente non lue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transmissions urgentes non lues")
    expect(page.locator("article.tr")).to_have_count(1)
    expect(page.locator("article.tr")).to_contain_text(name)
    t.shot(
        page,
        "transmissions-urgentes-non-lues",
        "Inès, infirmière coordinatrice, voit qu'une transmission urgente n'a encore été lue "
        "par personne.",
    )

    page = t.phone("sophie.matin")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Transmissions"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Depuis ma dernière prise de poste")
    first = page.locator("#nouvelles article.tr").first
    expect(first).to_contain_text("Urgente")
    expect(first).to_contain_text(name)
    expect(first).to_contain_text("hématome au coude")
    t.shot(
        page,
        "transmissions-depuis-ma-prise-de-poste",
        "Au matin, Sophie, aide-soignante, prend son poste : la chute de la nuit est en tête de "
        "« Depuis ma dernière prise de poste », avant le reste de la nuit.",
        full_page=True,
    )
    first.get_by_role("button", name="J'ai pris connaissance").click()
    expect(
        page.locator("#nouvelles article.tr").first.get_by_text("✓ Pris connaissance")
    ).to_be_visible()

    page = t.phone("ines.coordination")
    page.goto(f"{t.url}/transmissions/urgentes")
    expect(page.get_by_text("Aucune transmission urgente en attente de lecture")).to_be_visible()
    expect(page.locator("article.tr")).to_have_count(0)
    t.shot(
        page,
        "transmissions-urgentes-toutes-lues",
        "Sophie a pris connaissance : la liste d'Inès est vide, personne n'a besoin d'appeler "
        "pour vérifier.",
    )

    page = t.phone("lea.secretariat")
    page.goto(f"{t.url}/personnes/{person['id']}")
    expect(page.get_by_role("heading", name="Identité et coordonnées")).to_be_visible()
    expect(page.get_by_role("heading", name="Transmissions")).to_have_count(0)
    expect(page.get_by_role("heading", name="Informations de santé")).to_have_count(0)
    html = page.content()
    assert "hématome au coude" not in html and "Médecin de garde" not in html
    t.shot(
        page,
        "transmissions-dossier-vu-par-le-secretariat",
        "Léa, au secrétariat, ouvre le même dossier pour un rendez-vous : l'identité et les "
        "coordonnées, mais ni la chute ni aucune transmission.",
        full_page=True,
    )
    page.goto(f"{t.url}/personnes/{person['id']}/transmissions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
