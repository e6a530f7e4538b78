"""Home by role and navigation by role (issue 17), tested by attack: what each demo role sees in
the menu, where she lands, and that a page behind a hidden entry still refuses her."""

from __future__ import annotations

import re

import pytest
from litestar.testing import TestClient

from tests.web.conftest import sign_in
from virage.access import Actor, Registry, permission
from virage.web.nav import PHONE_ENTRIES, NavItem, shown_to, split_for_phone, visible_nav


def _nav(html: str) -> list[str]:
    """The labels of the main navigation's strip (the desk entries and « Plus » included)."""
    block = html.split('aria-label="Navigation principale"', 1)[1].split("</nav>", 1)[0]
    block = block.split('<li class="nav-more">', 1)[0]
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<a [^>]*>(.*?)</a>", block)]


def _phone_strip(html: str) -> list[str]:
    block = html.split('aria-label="Navigation principale"', 1)[1].split("</nav>", 1)[0]
    strip = re.findall(r"<li>(<a [^>]*>.*?</a>)</li>", block.split('<li class="nav-desk">')[0])
    labels = [re.sub(r"<[^>]+>", "", a).strip() for a in strip]
    return labels + (["Plus"] if "<summary>Plus</summary>" in block else [])


@pytest.fixture
def client_for(demo_app):
    """A client signed in as ``username`` (``None``: anonymous); one per test, closed after it."""
    opened: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        assert not opened, "one client per test"
        client = TestClient(demo_app)
        client.__enter__()
        opened.append(client)
        if username:
            sign_in(client, username)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


# --------------------------------------------------------------------------- NavItem rules


REGISTRY = Registry(
    [
        permission("x.read", "Lire", ["nurse", "coordinator"]),
        permission("x.admin", "Administrer", [], "network", personal_data=False),
    ]
)


def _actor(roles: dict[int, str], admin: bool = False) -> Actor:
    return Actor(1, "u", "U", roles, is_network_admin=admin)


def test_an_item_with_a_permission_is_hidden_from_a_role_lacking_it():
    item = NavItem("X", "/x", permission="x.read")
    assert shown_to(item, REGISTRY, _actor({1: "nurse"}))
    assert shown_to(item, REGISTRY, _actor({1: "secretariat", 2: "coordinator"}))
    assert not shown_to(item, REGISTRY, _actor({1: "secretariat"}))
    assert not shown_to(item, REGISTRY, _actor({}, admin=True))
    assert not shown_to(item, REGISTRY, None)


def test_network_permission_roles_public_and_plain_items():
    admin = NavItem("A", "/a", permission=("x.read", "x.admin"))
    assert shown_to(admin, REGISTRY, _actor({}, admin=True))
    assert not shown_to(admin, REGISTRY, _actor({1: "director"}))
    by_role = NavItem("R", "/r", roles=("home_help",))
    assert shown_to(by_role, REGISTRY, _actor({3: "home_help"}))
    assert not shown_to(by_role, REGISTRY, _actor({3: "nurse"}))
    plain = NavItem("P", "/p")  # a plugin written before SDK 1.2: every signed-in person
    assert shown_to(plain, REGISTRY, _actor({1: "dpo"}))
    assert not shown_to(plain, REGISTRY, None)
    assert shown_to(NavItem("D", "/d", public=True), REGISTRY, None)
    unknown = NavItem("U", "/u", permission="nobody.declared")
    assert not shown_to(unknown, REGISTRY, _actor({1: "nurse"}))


def test_phone_keeps_four_entries_and_plus():
    items = [NavItem(str(i), f"/{i}", order=i) for i in range(8)]
    strip, more = split_for_phone(visible_nav(items, REGISTRY, _actor({1: "nurse"})))
    assert len(strip) + 1 == PHONE_ENTRIES and len(more) == 4
    strip, more = split_for_phone(items[:5])
    assert len(strip) == 5 and more == []


# --------------------------------------------------------------------------- menus of the demo


def test_anonymous_sees_only_what_is_public(client_for):
    page = client_for(None).get("/")
    assert page.status_code == 200
    assert _nav(page.text) == ["Documentation"]
    assert "Se connecter" in page.text


@pytest.mark.parametrize("username", ["paul.infirmier", "sophie.matin", "karim.aide"])
def test_a_field_worker_never_sees_admin_entries(client_for, username):
    page = client_for(username).get("/agenda/ma-journee")
    labels = _nav(page.text)
    for hidden in ("API", "Administration", "Journal", "Mes jetons"):
        assert hidden not in labels
    assert labels[:2] == ["Ma journée", "Agenda"]


def test_transmissions_is_on_the_phone_strip_of_a_nurse(client_for):
    page = client_for("paul.infirmier").get("/agenda/ma-journee")
    strip = _phone_strip(page.text)
    assert "Transmissions" in strip
    assert len(strip) <= PHONE_ENTRIES
    assert strip[-1] == "Plus"


def test_secretariat_sees_the_agenda_not_transmissions(client_for):
    secretariat = _nav(client_for("lea.secretariat").get("/agenda").text)
    assert "Transmissions" not in secretariat and "Ma journée" not in secretariat
    assert "Agenda" in secretariat


def test_director_sees_api_and_no_transmissions(client_for):
    director = _nav(client_for("claire.direction").get("/moi").text)
    assert "API" in director and "Transmissions" not in director
    assert director[0] == "Administration"


def test_network_admin_menu(client_for):
    labels = _nav(client_for("admin.reseau").get("/moi").text)
    assert "Annuaire" in labels and "Agenda" not in labels and "Transmissions" not in labels
    assert labels[0] == "Administration"


# --------------------------------------------------------------------------- hiding is not security


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("lea.secretariat", "/transmissions/urgentes"),
        ("paul.infirmier", "/transmissions/urgentes"),
        ("paul.infirmier", "/annuaire/imports"),
        ("karim.aide", "/annuaire/signalements"),
    ],
)
def test_pages_behind_hidden_entries_still_refuse(client_for, username, path):
    answer = client_for(username).get(path, follow_redirects=False)
    assert answer.status_code in (403, 404), (path, answer.status_code)


# --------------------------------------------------------------------------- home by role


@pytest.mark.parametrize(
    ("username", "target"),
    [
        ("paul.infirmier", "/agenda/ma-journee"),
        ("sophie.matin", "/agenda/ma-journee"),
        ("karim.aide", "/agenda/ma-journee"),
        ("julie.social", "/agenda/ma-journee"),
        ("lea.secretariat", "/agenda"),
        ("admin.reseau", "/administration"),
    ],
)
def test_home_redirects_by_role(client_for, username, target):
    answer = client_for(username).get("/", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == target


def test_director_lands_on_her_first_structure(client_for, demo):
    [sid] = demo.ids(
        "SELECT s.id FROM structures s JOIN memberships m ON m.structure_id = s.id"
        " JOIN users u ON u.id = m.user_id WHERE u.username = 'claire.direction'"
        " ORDER BY s.name LIMIT 1"
    )
    answer = client_for("claire.direction").get("/", follow_redirects=False)
    assert answer.headers["location"] == f"/structures/{sid}"


def test_login_lands_on_the_home_by_role(demo_app):
    with TestClient(demo_app) as client:
        page = client.get("/connexion")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
        answer = client.post(
            "/connexion",
            data={
                "username": "paul.infirmier",
                "password": "demo-virage-2026",
                "_csrf_token": token,
            },
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert answer.headers["location"] in ("/", "/moi/note-d-information?suivant=/")


def test_coordinator_home_shows_urgent_and_todays_team_without_figures(client_for):
    page = client_for("ines.coordination").get("/", follow_redirects=False)
    assert page.status_code == 200
    assert "Ce qui vous attend" in page.text
    assert "Urgentes non lues" in page.text
    assert "L'équipe aujourd'hui" in page.text
    assert "SSIAD du Val-de-Loue" in page.text
    # who works today, never how much each one did; the one figure is the structure's count of
    # urgent transmissions nobody has read (issue 18)
    text = re.sub(r"<[^>]+>", "", page.text)
    assert not re.search(
        r"\d+\s+(visites|transmissions(?! urgentes? non lues?)|rendez-vous)\b", text
    )
    assert re.search(r"\d+ transmissions? urgentes? non lues?", text)


def test_the_network_admin_is_never_told_to_ask_herself(client_for):
    page = client_for("admin.reseau").get("/moi")
    assert "Demandez à l'administration du réseau" not in page.text


# --------------------------------------------------------------------------- today's team


def test_team_today_says_who_is_absent_never_why(demo):
    from virage.agenda import service as agenda
    from virage.agenda.timeutil import today_paris
    from virage.db import connect
    from virage.errors import Forbidden
    from virage.plugins import PluginHost
    from virage.sdk.accounts import access_for

    db = connect(demo.db_path)
    try:
        plugins = PluginHost(demo.settings)
        coordinator = access_for(db, plugins, "ines.coordination", "test")
        [sid] = demo.ids("SELECT id FROM structures WHERE name = 'SSIAD du Val-de-Loue'")
        [paul] = demo.ids("SELECT id FROM users WHERE username = 'paul.infirmier'")
        day = today_paris()
        agenda.add_absence(coordinator, sid, paul, ABSENCE, day, day)
        team = agenda.team_today(coordinator, sid, day)
        everyone = team["working"] + team["absent"]
        if day.weekday() < 5 or any(m["id"] == paul for m in everyone):
            assert paul in [m["id"] for m in team["absent"]]
        assert paul not in [m["id"] for m in team["working"]]
        assert all(set(m) <= {"id", "display_name", "role_label", "hours"} for m in everyone)
        dpo = access_for(db, plugins, "dpo.reseau", "test")
        with pytest.raises(Forbidden):
            agenda.team_today(dpo, sid, day)
    finally:
        db.close()


ABSENCE = "leave"
