"""The six scenes of the guided tour, in the order of a day in the Val-de-Loue.

Every scene finds its characters in the demo database (the same seed gives the same persons),
acts through the pages a user would use, checks what each person must (and must not) see, and
takes its pictures. Captions are French and contain no date, so that a page regenerated another
day only changes when the product changes.
"""

from __future__ import annotations

import re
import urllib.request
from datetime import timedelta

import icalendar
from playwright.sync_api import expect

from virage.agenda.timeutil import today_paris
from virage_demo_territory.tour import Step, Tour

SSIAD = "SSIAD du Val-de-Loue"
SOCIAL = "Service social départemental — MDS de Loue"
HOSPITAL = "Centre hospitalier de Loue — équipe de sortie"
EHPAD = "EHPAD Les Tilleuls"

FALL = (
    "Retrouvée au sol au pied du lit à 3 h 40, consciente, se souvient de la chute. "
    "Douleur hanche gauche 5/10, hématome au coude."
)
FALL_ACTIONS = "Relevée à deux avec l'astreinte. TA 14/8, pouls 88. Médecin de garde appelé."
MEDICAL = (
    "Troubles cognitifs modérés (MMS 18), déambulation nocturne. Chute avec fracture du poignet."
)
REPORT = "Plaie du talon propre, bourgeonnante : poursuivre le pansement"


def _name(person: dict) -> str:
    return f"{person['given_names']} {person['family_name'].upper()}"


def _no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport + 1, f"défilement horizontal sur téléphone : {width} px"


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
    expect(item).to_contain_text(_name(person))
    expect(item).to_contain_text("Avis d'imposition")
    item.scroll_into_view_if_needed()
    _no_horizontal_scroll(phone)
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
    name = _name(person)

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
    _no_horizontal_scroll(page)
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


# ---------------------------------------------------------------------------- 3


def hospital_discharge(t: Tour) -> None:
    patient = next(
        (
            p
            for p in t.persons_followed_by(HOSPITAL, "sarah.sortie")
            if (p["given_names"], p["family_name"]) == ("Yvonne", "Garnier")
        ),
        None,
    )
    assert patient, "Mme Yvonne Garnier n'est pas suivie par l'équipe de sortie"

    sarah = t.phone("sarah.sortie")
    sarah.goto(f"{t.url}/personnes/{patient['id']}")
    sarah.get_by_role("link", name="Nouvelle demande d'orientation").click()
    sarah.get_by_label("Offre demandée").select_option("ehpad")
    sarah.get_by_label("Unité protégée (troubles cognitifs)").check()
    sarah.get_by_label("Degré de dépendance (GIR 1 à 6)").fill("3")
    sarah.get_by_label("Commune souhaitée (nom ou code postal)").fill("Loue-la-Vallée")
    sarah.get_by_label("Rayon (km)").fill("20")
    sarah.get_by_label("Urgence").select_option("urgente")
    sarah.get_by_label("La personne elle-même").check()
    sarah.get_by_label("Situation sociale, entourage (sans information médicale)").fill(
        "Vit seule à domicile, fille à Besançon ; retour à domicile impossible."
    )
    t.shot(
        sarah,
        "orientation-nouvelle-demande",
        "Sarah, assistante sociale de l'équipe de sortie de l'hôpital, prépare l'orientation de "
        "Mme Yvonne Garnier vers un EHPAD avec unité protégée, avec son consentement.",
        full_page=True,
    )
    sarah.get_by_role("button", name="Créer la demande").click()
    expect(sarah.get_by_role("status")).to_contain_text("Demande créée")
    expect(sarah.locator("#volet-medical-etat")).to_contain_text("À compléter")
    request_url = sarah.url.split("?")[0]

    doctor = t.phone("dr.morel")
    doctor.goto(request_url)
    doctor.get_by_label("Volet médical (pathologies, soins, autonomie)").fill(MEDICAL)
    doctor.get_by_role("button", name="Enregistrer le volet médical").click()
    expect(doctor.get_by_role("status")).to_contain_text("Volet médical enregistré")

    sarah.goto(request_url)
    expect(sarah.locator("#volet-medical")).to_have_count(0)  # medical part: not for her
    items = sarah.locator("#propositions li")
    expect(items.first).to_contain_text("EHPAD Les Tilleuls")  # places declared, needs confirmed
    expect(items.first).to_contain_text(re.compile(r"à \d+ km, unité protégée, 2 places déclarées"))
    assert items.count() >= 3, "moins de trois EHPAD proposés dans un rayon de 20 km"
    t.shot(
        sarah,
        "orientation-propositions",
        "Le médecin de l'équipe a rempli le volet médical, que Sarah ne voit pas ; Virage "
        "propose les EHPAD du rayon choisi, classés, avec la raison de leur rang.",
        full_page=True,
    )
    sarah.get_by_label(re.compile("EHPAD Les Tilleuls")).check()
    sarah.get_by_label(re.compile("EHPAD Les Glycines")).check()
    sarah.get_by_role("button", name="Envoyer aux structures cochées").click()
    expect(sarah.get_by_role("status")).to_contain_text("Demande envoyée")

    marc = t.phone("marc.glycines")
    marc.goto(f"{t.url}/orientation/")
    marc.get_by_role("link", name=re.compile("Garnier")).first.click()
    expect(marc.locator("#volet-medical")).to_contain_text("Troubles cognitifs")
    marc.get_by_label("Réponse").select_option("refusee")
    marc.get_by_label("Motif de refus (si refus)").select_option("pas_de_place")
    marc.get_by_label("Commentaire").fill("Unité protégée complète jusqu'en février.")
    marc.get_by_role("button", name="Enregistrer la réponse").click()
    expect(marc.locator("#etat")).to_have_text("Refusée")

    odile = t.phone("odile.ehpad")
    odile.goto(f"{t.url}/orientation/")
    odile.get_by_role("link", name=re.compile("Garnier")).first.click()
    expect(odile.locator("#volet-medical-reserve")).to_be_visible()  # the director: no
    expect(odile.locator("#volet-medical")).to_have_count(0)

    thomas = t.phone("thomas.idec")
    thomas.goto(f"{t.url}/orientation/")
    thomas.get_by_role("link", name=re.compile("Garnier")).first.click()
    expect(thomas.locator("#volet-medical")).to_contain_text("Troubles cognitifs")
    admission = today_paris() + timedelta(days=14)
    thomas.get_by_label("Réponse").select_option("acceptee")
    thomas.get_by_label("Date d'admission proposée (si acceptation)").fill(admission.isoformat())
    t.shot(
        thomas,
        "orientation-reponse-structure",
        "À l'EHPAD Les Tilleuls, Thomas, infirmier coordinateur, lit le volet médical (la "
        "directrice, elle, ne le voit pas) et propose une date d'admission.",
        full_page=True,
    )
    thomas.get_by_role("button", name="Enregistrer la réponse").click()
    expect(thomas.locator("#etat")).to_have_text("Admission proposée")

    sarah.goto(request_url)
    table = sarah.locator("#envois")
    expect(table).to_contain_text("Pas de place disponible")
    expect(table).to_contain_text(f"Admission proposée le {admission:%d/%m/%Y}")
    expect(sarah.locator(".or-history")).to_contain_text("EHPAD Les Glycines : Refusée")
    t.shot(
        sarah,
        "orientation-suivi-reponses",
        "Sarah voit les deux réponses : un refus motivé (pas de place) et une admission "
        "proposée, datée. Elle peut organiser la sortie.",
        full_page=True,
    )


# ---------------------------------------------------------------------------- 4


def teleconsultation(t: Tour) -> None:
    resident = t.persons_followed_by(EHPAD, "amina.ide", "helene.teleconsult")[0]

    page = t.phone("amina.ide")
    page.goto(f"{t.url}/personnes/{resident['id']}")
    page.get_by_role("link", name="Demander une téléconsultation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demander une téléconsultation")
    page.get_by_label("Chercher un médecin dans l'annuaire").fill("Vasseur")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_label("Médecin téléconsultant").locator("option").first).to_contain_text(
        "Vasseur"
    )
    page.get_by_label("Motif").fill("Plaie du talon qui ne cicatrise pas : avis sur le pansement")
    page.get_by_label("Documents à préparer").fill("Photos de la plaie, traitement en cours")
    t.shot(
        page,
        "teleconsultation-demande",
        f"À l'EHPAD, Amina, infirmière, demande une téléconsultation pour {resident['given_names']} "
        f"{resident['family_name']} au Dr Vasseur, trouvée dans l'annuaire.",
        full_page=True,
    )
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("#tc-status")).to_have_text("Demandée")
    expect(page.get_by_role("heading", name="Choisir un créneau du médecin")).to_be_visible()
    t.shot(
        page,
        "teleconsultation-creneaux",
        "Elle choisit un créneau libre de la permanence du médecin, sans échange de courriels.",
        full_page=True,
    )
    page.get_by_role("button", name="Réserver ce créneau").first.click()
    expect(page.locator("#tc-status")).to_have_text("Planifiée")
    expect(page.locator("#tc-video")).to_be_visible()  # she takes part: she sees the link

    page.get_by_label("Identité de la personne vérifiée").check()
    page.get_by_label("La personne consent à la téléconsultation").check()
    page.get_by_label("Recueilli comment").select_option("oral")
    for box in page.locator("input[name=equipment]").all():
        box.check()
    t.shot(
        page,
        "teleconsultation-preparation",
        "Au moment venu : identité vérifiée, consentement recueilli (qui, comment), matériel "
        "prêt. Sans consentement, la séance ne peut pas commencer.",
        full_page=True,
    )
    page.get_by_role("button", name="La séance est prête").click()
    expect(page.locator("#tc-status")).to_have_text("Prête")
    page.get_by_role("button", name="Commencer la séance").click()
    expect(page.locator("#tc-status")).to_have_text("En cours")
    page.get_by_role("button", name="La séance a eu lieu").click()
    expect(page.locator("#tc-status")).to_have_text("Réalisée")
    session_url = page.url.split("?")[0]

    doctor = t.phone("helene.teleconsult")
    doctor.goto(session_url)
    doctor.get_by_label("Compte rendu", exact=True).fill(REPORT)
    doctor.get_by_label("Prescriptions, conduite à tenir").fill(
        "Pansement hydrocolloïde, revoir à J7"
    )
    t.shot(
        doctor,
        "teleconsultation-compte-rendu",
        "Le Dr Vasseur rédige son compte rendu et ses prescriptions dans Virage.",
        full_page=True,
    )
    doctor.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(doctor.locator("#tc-status")).to_have_text("Compte rendu reçu")

    page = t.phone("amina.ide")
    page.goto(f"{t.url}/personnes/{resident['id']}/transmissions")
    expect(page.get_by_text(REPORT)).to_be_visible()
    t.shot(
        page,
        "teleconsultation-transmission",
        "Le compte rendu arrive dans les transmissions du résident, pour toute son équipe de "
        "soins.",
        full_page=True,
    )

    coordinator = t.phone("thomas.idec")
    coordinator.goto(f"{t.url}/teleconsultation/")
    coordinator.get_by_role("link", name=re.compile("Suivi des téléconsultations")).click()
    expect(coordinator.locator("#tc-without-report")).not_to_contain_text(
        f"{resident['given_names']} {resident['family_name']}"
    )
    t.shot(
        coordinator,
        "teleconsultation-suivi-coordination",
        "Thomas, infirmier coordinateur, suit les téléconsultations de l'EHPAD et celles qui "
        "attendent encore leur compte rendu.",
        full_page=True,
    )

    desk = t.phone("sylvie.accueil")
    desk.goto(f"{t.url}/personnes/{resident['id']}")
    expect(desk.get_by_role("heading", name="Téléconsultations")).to_have_count(0)
    assert REPORT not in desk.content(), "l'accueil de l'EHPAD lit le compte rendu"
    for url in (f"{t.url}/personnes/{resident['id']}/transmissions", session_url):
        desk.goto(url)
        expect(desk.get_by_role("heading", level=1)).to_have_text("Accès refusé")

    steps = [e for e in t.audit_of(resident["id"]) if e["action"].startswith("teleconsultation.")]
    assert len(steps) >= 6, f"{len(steps)} étapes de téléconsultation au journal, 6 attendues"


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
            has_text="transmissions.acknowledge"
        )
    ).to_have_count(1)
    expect(
        rows.filter(has_text="Nadia Benali (nadia.nuit)").filter(has_text="transmissions.write")
    ).not_to_have_count(0)
    t.shot(
        page,
        "journal-des-acces-direction",
        "Claire, directrice du SSIAD, lit le journal des accès : chaque lecture et chaque "
        "écriture de la nuit et du matin y figure, avec son auteur ; personne ne peut le "
        "modifier.",
    )

    page.goto(f"{t.url}/personnes/{person['id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(_name(person))
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
    expect(journal.filter(has_text="transmissions.acknowledge")).not_to_have_count(0)
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


STEPS: list[Step] = [
    Step(
        "secretariat-rendez-vous",
        "Le secrétariat réserve un créneau de l'assistante sociale",
        "Léa Moreau (secrétariat) et Julie Caron (assistante sociale du département)",
        "Un usager appelle le service social : plutôt que de laisser un message à l'assistante "
        "sociale sur la route, la secrétaire trouve elle-même un créneau libre et le réserve.",
        ("Guide de l'agenda partagé", "guides/agenda.md"),
        secretary_books_a_slot,
    ),
    Step(
        "transmission-urgente",
        "La transmission urgente de la nuit, lue par l'équipe du matin",
        "Nadia Benali (infirmière de nuit), Inès Roussel (coordination), Sophie Lambert "
        "(aide-soignante) — SSIAD du Val-de-Loue",
        "Une chute la nuit au domicile d'une personne accompagnée : l'équipe du matin doit le "
        "savoir avant d'entrer chez elle, et la coordination doit savoir qu'elle le sait.",
        ("Guide des transmissions", "guides/transmissions.md"),
        night_to_morning,
    ),
    Step(
        "orientation-ehpad",
        "L'hôpital oriente une patiente vers un EHPAD et reçoit une réponse",
        "Sarah Nguyen (assistante sociale hospitalière), Dr Claire Morel, Marc Lefèvre et "
        "Thomas Renaud (coordination d'EHPAD), Odile Marchand (direction d'EHPAD)",
        "Une sortie d'hôpital ne se prépare pas à coups de fax : une seule demande, un volet "
        "médical réservé aux soignants, des EHPAD proposés selon la distance et les places, "
        "des réponses motivées.",
        ("Guide de l'orientation", "guides/orientation.md"),
        hospital_discharge,
    ),
    Step(
        "teleconsultation",
        "Une téléconsultation, de la demande au compte rendu",
        "Amina Diallo (infirmière d'EHPAD), Dr Hélène Vasseur (médecin téléconsultant), Thomas "
        "Renaud (coordination), Sylvie Morin (accueil)",
        "Un avis médical sans transport pour une résidente fragile : la demande, le créneau, "
        "le consentement, la séance et le compte rendu, qui rejoint le dossier de soins.",
        ("Guide de la téléconsultation", "guides/teleconsultation.md"),
        teleconsultation,
    ),
    Step(
        "journal-des-acces",
        "La direction lit le journal des accès",
        "Claire Fontaine (direction du SSIAD)",
        "Le secret partagé se prouve : la direction peut montrer qui a lu quoi, sans lire "
        "elle-même le contenu des soins.",
        ("Guide accès et confidentialité", "guides/acces-et-confidentialite.md"),
        director_reads_the_trail,
    ),
    Step(
        "ce-qui-est-enregistre-sur-moi",
        "Une professionnelle vérifie ce qui est enregistré sur elle",
        "Sophie Lambert (aide-soignante)",
        "Pas de surveillance cachée : ce que Virage enregistre sur une professionnelle, elle "
        "le voit, au même endroit et en entier.",
        ("Guide accès et confidentialité", "guides/acces-et-confidentialite.md"),
        worker_sees_her_records,
    ),
]
