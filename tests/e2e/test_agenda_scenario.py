"""The secretary finds a free slot for a social worker and books it without phoning her; the
social worker sees it in "ma journée" on her phone; her calendar subscription contains it."""

from __future__ import annotations

import re
import urllib.request
from datetime import datetime

import icalendar
import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import query, sign_in

pytestmark = pytest.mark.browser

SOCIAL = "Service social départemental — MDS de Loue"


def _julies_person(server_env) -> tuple[int, str, str]:
    """A person followed by Julie (so that she may see their name)."""
    rows = query(
        server_env,
        "SELECT p.id, p.family_name, p.given_names FROM persons p"
        " JOIN care_team c ON c.person_id = p.id JOIN users u ON u.id = c.user_id"
        " WHERE u.username = 'julie.social' ORDER BY p.family_name, p.given_names LIMIT 1",
    )
    return rows[0]


def test_secretary_books_a_social_workers_free_slot(
    live_server, server_env, browser, phone, capture
):
    person_id, family, given = _julies_person(server_env)

    # 1. The secretary, at her desk, looks for Julie's first free half-hour next week, 9:00-12:00.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = desk.new_page()
    sign_in(page, live_server, "lea.secretariat")
    page.goto(f"{live_server}/agenda")
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
    expect(results).to_contain_text("créneau(x) libre(s)")
    results.scroll_into_view_if_needed()

    # 2. She books the first one, for a person Julie follows.
    page.get_by_role("link", name=re.compile("^Réserver")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prendre un rendez-vous")
    day = page.get_by_label("Date").input_value()
    start = page.get_by_label("Heure", exact=True).input_value()
    expect(page.get_by_role("checkbox", name=re.compile("Julie Caron"))).to_be_checked()
    page.get_by_label("Personne accompagnée", exact=True).select_option(str(person_id))
    page.get_by_label("Intitulé").fill("Entretien : dossier APA")
    page.get_by_label("À apporter").fill("Avis d'imposition, pièce d'identité")
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()
    expect(page.get_by_text("Rendez-vous enregistré.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Entretien : dossier APA")
    appointment_id = int(page.url.split("/rendez-vous/")[1].split("?")[0])
    desk.close()
    booked = query(
        server_env,
        "SELECT a.start_utc, u.username FROM agenda_appointments a"
        " JOIN agenda_attendees t ON t.appointment_id = a.id JOIN users u ON u.id = t.user_id"
        " WHERE a.id = ?",
        [appointment_id],
    )
    assert booked[0][1] == "julie.social"

    # 3. Julie, on her phone, sees it in "ma journée" of that day, in order, with the address.
    mobile = phone.new_page()
    sign_in(mobile, live_server, "julie.social")
    mobile.goto(f"{live_server}/")
    mobile.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Ma journée"
    ).click()
    expect(mobile.get_by_role("heading", level=1)).to_have_text("Ma journée")
    mobile.goto(f"{live_server}/agenda/ma-journee?jour={day}")
    item = mobile.locator(f"#rdv-{appointment_id}")
    expect(item).to_contain_text(start.replace(":", " h ").lstrip("0"))
    expect(item).to_contain_text(f"{given} {family.upper()}")
    expect(item).to_contain_text("Avis d'imposition")
    item.scroll_into_view_if_needed()
    width = mobile.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 376, f"horizontal scroll on a phone: {width}px"

    # 4. Her calendar subscription contains it, without the person's name.
    mobile.goto(f"{live_server}/agenda/abonnement")
    mobile.get_by_role("button", name="Créer mon adresse d'abonnement").click()
    url = mobile.locator("#feed-url").inner_text()
    mobile.get_by_role("heading", name="Comment s'abonner").scroll_into_view_if_needed()
    capture(mobile, "agenda-abonnement-telephone")
    assert url.startswith(f"{live_server}/agenda/flux/vcal_")
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    events = [
        e
        for e in calendar.walk("VEVENT")
        if str(e["uid"]).startswith(f"virage-agenda-{appointment_id}@")
    ]
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == datetime.fromisoformat(booked[0][0])
    assert str(event["summary"]).startswith("Rendez-vous à la structure — ")
    assert family not in str(event.to_ical().decode()) and "APA" not in event.to_ical().decode()


def test_coordinator_week_view_and_field_worker_day(live_server, browser, capture):
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = desk.new_page()
    sign_in(page, live_server, "ines.coordination")
    page.goto(f"{live_server}/agenda")
    page.get_by_role("link", name="Semaine de l'équipe").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Semaine de l'équipe")
    page.get_by_label("Équipe").select_option(label="Tournée du matin")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("table.ag-week")).to_contain_text("Sophie Lambert")
    capture(page, "agenda-semaine-equipe")
    desk.close()

    ctx = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR")
    mobile = ctx.new_page()
    sign_in(mobile, live_server, "sophie.matin")
    mobile.goto(f"{live_server}/agenda/ma-journee")
    first = mobile.locator("ol.ag-day > li").first
    expect(first).to_contain_text("Toilette et aide au lever")
    first.get_by_role("button", name="Je suis arrivé·e").click()
    expect(mobile.get_by_text("C'est enregistré.")).to_be_visible()
    expect(
        mobile.locator("ol.ag-day > li").first.get_by_role("button", name="Visite terminée")
    ).to_be_visible()
    capture(mobile, "agenda-tournee-aide-soignante")
    mobile.goto(f"{live_server}/moi/enregistrements#agenda")
    expect(mobile.locator("#agenda")).to_be_visible()
    expect(mobile.get_by_text("Mes pointages de visites")).to_be_visible()
    ctx.close()
