"""Scenes 3 and 4 of the guided tour: the network's partners (plugins orientation and
teleconsultation).

3. the hospital's discharge team orients a patient to an EHPAD and gets motivated answers, the
   medical part kept for the carers;
4. an EHPAD nurse runs a teleconsultation with a remote doctor, from the request to the report
   that joins the resident's transmissions; the front desk reads none of it.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from virage.sdk import day_text, today_paris
from virage_demo_territory.tour import Tour
from virage_demo_territory.tour.common import EHPAD, HOSPITAL

MEDICAL = (
    "Troubles cognitifs modérés (MMS 18), déambulation nocturne. Chute avec fracture du poignet."
)
REPORT = "Plaie du talon propre, bourgeonnante : poursuivre le pansement"


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
    expect(table).to_contain_text(f"Admission proposée le {day_text(admission)}")
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
    if not page.get_by_role("button", name="Réserver ce créneau").count():
        # Late in the evening, today's last slots are gone: the permanence goes on after midnight
        # (the first slot of tomorrow is less than an hour away, so the session may start now).
        page.get_by_role("link", name="demain").click()
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
