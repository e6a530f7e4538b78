"""Pages: "ma journée" on the phone, the team week, booking from a free slot, a person's record,
what is recorded about the worker; the plugin hooks (kinds, notifications)."""

from __future__ import annotations

import re
from datetime import timedelta

from litestar.testing import TestClient

from tests.accounts.conftest import bearer, csrf_from, login
from tests.agenda.helpers import API, book, visit
from virage.agenda.kinds import AppointmentKind
from virage.agenda.timeutil import today_paris
from virage.app import create_app
from virage.plugins import hookimpl

TODAY = today_paris()


def _at(days: int, hhmm: str) -> str:
    return f"{TODAY + timedelta(days=days)}T{hhmm}"


def _web(client, who):
    assert login(client, who).status_code == 303


def test_ma_journee_ordered_with_address_person_and_what_to_bring(client, world):
    visit(client, world, start=_at(1, "10:00"), to_bring="Pansements", notes="Plaie talon")
    book(client, world, "coord_a", start=_at(1, "08:30"), duration_minutes=30, title="Relève")
    book(client, world, "coord_a", start=_at(2, "08:30"), title="Demain")
    _web(client, "nurse_a")
    page = client.get(f"/agenda/ma-journee?jour={TODAY + timedelta(days=1)}")
    assert page.status_code == 200
    html = page.text
    assert html.index("8 h 30") < html.index("10 h 00")
    assert "Relève" in html and "Demain" not in html
    assert "Jeanne DURAND" in html and "À apporter :" in html and "Pansements" in html
    assert "Plaie talon" not in html  # care notes stay behind a link (and an audited read)
    assert "Notes de soins" in html
    assert "Je suis arrivé·e" not in html  # check-in buttons on the day itself only
    assert len(page.content) < 30_000
    # the secretary has nothing in her own day
    client.post("/deconnexion", data={"_csrf_token": csrf_from(html)})
    _web(client, "secretary_a")
    assert (
        "Aucun rendez-vous"
        in client.get(f"/agenda/ma-journee?jour={TODAY + timedelta(days=1)}").text
    )


def test_check_in_and_out_from_ma_journee_then_shown_on_my_records(client, world):
    v = visit(client, world, start=_at(0, "23:00"), duration_minutes=30).json()
    _web(client, "nurse_a")
    day = client.get("/agenda/ma-journee").text
    r = client.post(
        f"/agenda/rendez-vous/{v['id']}/arrivee",
        data={"_csrf_token": csrf_from(day), "retour": "/agenda/ma-journee"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/agenda/ma-journee?ok=arrivee#rdv-{v['id']}"
    day = client.get("/agenda/ma-journee").text
    assert "Visite terminée" in day
    client.post(f"/agenda/rendez-vous/{v['id']}/depart", data={"_csrf_token": csrf_from(day)})
    records = client.get("/moi/enregistrements").text
    assert "Mes pointages de visites" in records and "arrivée" in records and "départ" in records
    assert "jamais votre position" in records


def test_team_week_for_the_coordinator(client, world):
    monday = TODAY - timedelta(days=TODAY.weekday()) + timedelta(days=7)
    visit(client, world, start=f"{monday}T09:00")
    book(
        client,
        world,
        "coord_a",
        professional_ids=[world.users["care_a"]],
        start=f"{monday + timedelta(days=2)}T14:00",
        title="Formation",
    )
    _web(client, "coord_a")
    page = client.get(f"/agenda/structures/{world.structures['a']}/semaine?debut={monday}")
    assert page.status_code == 200
    assert "nurse a" in page.text and "care a" in page.text and "Formation" in page.text
    assert "Jeanne DURAND" in page.text
    # a colleague outside the care team sees initials in the same week view
    client.post("/deconnexion", data={"_csrf_token": csrf_from(page.text)})
    _web(client, "nurse2_a")
    page = client.get(f"/agenda/structures/{world.structures['a']}/semaine?debut={monday}")
    assert "J. D." in page.text and "DURAND" not in page.text


def test_secretary_finds_a_slot_and_books_it_in_the_browserless_flow(client, world):
    monday = TODAY - timedelta(days=TODAY.weekday()) + timedelta(days=14)
    social = world.users["social_a"]
    _web(client, "secretary_a")
    page = client.get(
        f"/agenda/structures/{world.structures['a']}/creneaux",
        params={
            "chercher": "1",
            "pro": social,
            "du": str(monday),
            "au": str(monday + timedelta(days=4)),
            "de": "09:00",
            "a": "12:00",
            "duree": "30",
        },
    )
    assert page.status_code == 200
    link = (
        re.search(r'href="(/agenda/structures/\d+/nouveau\?[^"]+)"', page.text)
        .group(1)
        .replace("&amp;", "&")
    )
    form = client.get(link)
    assert form.status_code == 200
    assert f'value="{monday}"' in form.text and 'value="09:00"' in form.text
    r = client.post(
        link.split("?")[0],
        data={
            "_csrf_token": csrf_from(form.text),
            "kind": "structure_appointment",
            "person_id": str(world.persons["p1"]),
            "date": str(monday),
            "start_time": "09:00",
            "duration": "30",
            "professional_ids": [str(social)],
            "title": "Entretien",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    detail = client.get(r.headers["location"])
    assert "Rendez-vous enregistré" in detail.text and "Entretien" in detail.text
    # booking the same slot again shows the conflict on the form, in French, with the clash
    again = client.post(
        link.split("?")[0],
        data={
            "_csrf_token": csrf_from(form.text),
            "kind": "structure_appointment",
            "date": str(monday),
            "start_time": "09:15",
            "duration": "30",
            "professional_ids": [str(social)],
        },
    )
    assert again.status_code == 409
    assert "déjà occupé·e" in again.text and "Voir le rendez-vous en conflit" in again.text


def test_person_record_shows_the_agenda_section(client, world):
    visit(client, world, start=_at(3, "09:00"), title="Toilette")
    _web(client, "secretary_a")
    page = client.get(f"/personnes/{world.persons['p1']}")
    assert page.status_code == 200
    assert 'id="agenda"' in page.text and "Visite à domicile" in page.text
    assert "Prendre rendez-vous" in page.text
    full = client.get(f"/agenda/personnes/{world.persons['p1']}")
    assert full.status_code == 200 and "À venir" in full.text


def test_cancel_a_series_occurrence_from_the_web(client, world):
    v = visit(
        client, world, start=_at(5, "08:00"), recurrence={"rrule": "FREQ=DAILY;COUNT=3"}
    ).json()
    _web(client, "coord_a")
    page = client.get(f"/agenda/rendez-vous/{v['id']}")
    assert "tous les jours, 3 fois" in page.text and "Celui-ci et les suivants" in page.text
    r = client.post(
        f"/agenda/rendez-vous/{v['id']}/annuler",
        data={"_csrf_token": csrf_from(page.text), "reason": "hospitalisée", "scope": "one"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "Annulé" in client.get(r.headers["location"]).text


def test_availability_and_teams_pages(client, world):
    _web(client, "coord_a")
    sid = world.structures["a"]
    page = client.get(f"/agenda/structures/{sid}/disponibilites?pro={world.users['nurse_a']}")
    assert "Aucun horaire déclaré" in page.text
    r = client.post(
        f"/agenda/structures/{sid}/disponibilites/horaires",
        data={
            "_csrf_token": csrf_from(page.text),
            "user_id": world.users["nurse_a"],
            "d0_0_start": "08:00",
            "d0_0_end": "12:00",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = client.post(
        f"/agenda/structures/{sid}/disponibilites/horaires",
        data={
            "_csrf_token": csrf_from(page.text),
            "user_id": world.users["nurse_a"],
            "d0_0_start": "08:00",
        },
    )
    assert r.status_code == 400 and "début et la fin" in r.text
    page = client.get(f"/agenda/structures/{sid}/equipes")
    r = client.post(
        f"/agenda/structures/{sid}/equipes",
        data={
            "_csrf_token": csrf_from(page.text),
            "name": "Secteur nord",
            "member_ids": [str(world.users["nurse_a"])],
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "Secteur nord" in client.get(f"/agenda/structures/{sid}/equipes").text
    r = client.get(f"{API}/teams", headers=bearer(world, "secretary_a"))
    assert [t["name"] for t in r.json()] == ["Secteur nord"]


def test_subscription_page_shows_the_address_once(client, world):
    _web(client, "nurse_a")
    page = client.get("/agenda/abonnement")
    r = client.post("/agenda/abonnement", data={"_csrf_token": csrf_from(page.text)})
    assert r.status_code == 200 and "/agenda/flux/vcal_" in r.text and "webcal://" in r.text
    again = client.get("/agenda/abonnement")
    assert "/agenda/flux/vcal_" not in again.text and "abonnement actif" in again.text


class TelePlugin:
    """A plugin adding a kind and listening to the agenda's events."""

    __name__ = "test-tele"

    def __init__(self):
        self.events = []

    @hookimpl
    def register_appointment_kinds(self):
        return [
            AppointmentKind(
                "teleconsultation", "Téléconsultation", "remote", 30, True, "required", "💻"
            )
        ]

    @hookimpl
    def on_appointment_created(self, appointment):
        self.events.append(("created", appointment))

    @hookimpl
    def on_appointment_updated(self, appointment, previous, scope):
        self.events.append(("updated", appointment, previous, scope))

    @hookimpl
    def on_appointment_cancelled(self, appointment, reason, scope):
        self.events.append(("cancelled", appointment, reason, scope))


def test_plugins_add_kinds_and_hear_about_changes(world):
    plugin = TelePlugin()
    with TestClient(create_app(world.settings, plugins=[plugin])) as c:
        kinds = c.get(f"{API}/kinds", headers=bearer(world, "coord_a")).json()
        assert "teleconsultation" in [k["name"] for k in kinds]
        r = visit(c, world, kind="teleconsultation", start="2030-09-02T10:00", notes="Avis dermato")
        assert r.status_code == 201, r.text
        assert r.json()["place"] == "remote" and r.json()["kind_label"] == "Téléconsultation"
        aid = r.json()["id"]
        c.patch(
            f"{API}/appointments/{aid}",
            json={"start": "2030-09-02T11:00"},
            headers=bearer(world, "coord_a"),
        )
        c.post(
            f"{API}/appointments/{aid}/cancel",
            json={"reason": "reporté"},
            headers=bearer(world, "coord_a"),
        )
    kinds_seen = [e[0] for e in plugin.events]
    assert kinds_seen == ["created", "updated", "cancelled"]
    created = plugin.events[0][1]
    assert created["kind"] == "teleconsultation" and "notes" not in created
    assert plugin.events[1][2]["start"] == "2030-09-02T08:00:00+00:00"
    assert plugin.events[1][1]["start"] == "2030-09-02T09:00:00+00:00"
    assert plugin.events[2][2:] == ("reporté", "one")


def test_a_failing_plugin_does_not_break_booking(world):
    class Broken:
        __name__ = "broken-agenda"

        @hookimpl
        def on_appointment_created(self, appointment):
            raise RuntimeError("boom")

    with TestClient(create_app(world.settings, plugins=[Broken()])) as c:
        assert book(c, world, "coord_a", start="2030-09-02T10:00").status_code == 201


def test_export_and_deletion_of_a_person_include_the_agenda(client, world):
    visit(client, world, start="2030-09-02T10:00", notes="Note de soins")
    url = f"/api/v1/persons/{world.persons['p1']}/export"
    r = client.get(url, headers=bearer(world, "director_a"))
    assert r.status_code == 200
    agenda = r.json()["autres_donnees"]["virage.agenda.plugin"]
    # The director reads the agenda, not the care notes (care team only).
    assert agenda["rendez_vous"][0]["kind"] == "home_visit" and "Note de soins" not in r.text
    r = client.post(
        url, json={"motif": "Droit d'accès de la personne"}, headers=bearer(world, "dpo_a")
    )
    agenda = r.json()["autres_donnees"]["virage.agenda.plugin"]
    assert agenda["notes_de_soins"][0]["notes"] == "Note de soins"
