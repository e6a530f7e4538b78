"""Bad input gets a 4xx with an actionable French message, never a 500."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import bearer, csrf_from, login
from tests.agenda.helpers import API, visit

BAD_BODIES = [
    {},
    {"kind": "home_visit"},
    {"kind": "inconnu", "start": "2030-01-01T08:00", "professional_ids": [1]},
    {"kind": "meeting", "start": "demain", "professional_ids": [1]},
    {"kind": "meeting", "start": "2030-01-01T08:00", "professional_ids": []},
    {"kind": "meeting", "start": "2030-01-01T08:00", "professional_ids": [999999]},
    {
        "kind": "meeting",
        "start": "2030-01-01T08:00",
        "end": "2030-01-01T07:00",
        "professional_ids": [4],
    },
    {
        "kind": "meeting",
        "start": "2030-01-01T08:00",
        "duration_minutes": 100000,
        "professional_ids": [4],
    },
    {"kind": "home_visit", "start": "2030-01-01T08:00", "professional_ids": [4]},
    {"kind": "on_call", "start": "2030-01-01T08:00", "professional_ids": [4], "person_id": 1},
    {"kind": "meeting", "start": "2030-01-01T08:00", "professional_ids": [4], "place": "home"},
    {
        "kind": "meeting",
        "start": "2030-01-01T08:00",
        "professional_ids": [4],
        "recurrence": {"rrule": "FREQ=SECONDLY"},
    },
    {
        "kind": "meeting",
        "start": "2030-01-01T08:00",
        "professional_ids": [4],
        "recurrence": {"rrule": "n'importe quoi"},
    },
    {"kind": "meeting", "start": "2030-01-01T08:00", "professional_ids": [4], "person_id": 999999},
    {"kind": "meeting", "start": "2030-01-01T08:00", "professional_ids": "4"},
]


@pytest.mark.parametrize("body", BAD_BODIES)
def test_bad_bookings_are_4xx_in_french(client, world, body):
    r = client.post(f"{API}/appointments", json=body, headers=bearer(world, "coord_a"))
    assert 400 <= r.status_code < 500, r.text
    detail = r.json()["detail"]
    assert detail and "Traceback" not in detail


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/appointments/999999", None),
        ("PATCH", "/appointments/{id}", {}),
        ("PATCH", "/appointments/{id}?scope=tout", {"title": "x"}),
        ("PATCH", "/appointments/{id}", {"start": "hier"}),
        ("POST", "/appointments/{id}/cancel", {"reason": ""}),
        ("POST", "/appointments/{id}/status", {"status": "perdu"}),
        ("POST", "/appointments/{id}/status", {"status": "done"}),  # not started yet
        ("GET", "/week?start=pas-une-date", None),
        ("GET", "/me/day?date=2030-13-01", None),
        ("GET", "/free-slots?duration=0", None),
        ("GET", "/free-slots?mode=certains", None),
        (
            "PUT",
            "/professionals/{nurse}/working-hours",
            {"slots": [{"weekday": 9, "start": "08:00", "end": "09:00"}]},
        ),
        (
            "PUT",
            "/professionals/{nurse}/working-hours",
            {"slots": [{"weekday": 1, "start": "10:00", "end": "09:00"}]},
        ),
        (
            "PUT",
            "/professionals/{nurse}/working-hours",
            {
                "slots": [
                    {"weekday": 1, "start": "08:00", "end": "12:00"},
                    {"weekday": 1, "start": "11:00", "end": "13:00"},
                ]
            },
        ),
        (
            "POST",
            "/professionals/{nurse}/absences",
            {"kind": "maladie", "start": "2030-01-01", "end": "2030-01-02"},
        ),
        (
            "POST",
            "/professionals/{nurse}/absences",
            {"kind": "leave", "start": "2030-01-05", "end": "2030-01-02"},
        ),
        (
            "POST",
            "/professionals/999999/absences",
            {"kind": "leave", "start": "2030-01-01", "end": "2030-01-02"},
        ),
        ("DELETE", "/absences/999999", None),
        ("POST", "/teams", {"name": ""}),
        ("PUT", "/teams/999999", {"name": "x"}),
        ("POST", "/import?professional=4", None),
    ],
)
def test_bad_requests_are_4xx(client, world, method, path, body):
    appointment = visit(client, world, start="2030-07-01T08:00").json()
    path = path.format(id=appointment["id"], nurse=world.users["nurse_a"])
    r = client.request(method, f"{API}{path}", json=body, headers=bearer(world, "coord_a"))
    assert 400 <= r.status_code < 500, r.text
    assert "Traceback" not in r.text


def test_without_a_token_the_api_says_so(client, world):
    r = client.get(f"{API}/me/day")
    assert r.status_code == 401 and "Jeton" in r.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/agenda/ma-journee?jour=n-importe",
        "/agenda/rendez-vous/999999",
        "/agenda/structures/999/semaine",
        "/agenda/structures/{b}/semaine",
        "/agenda/structures/{a}/creneaux?chercher=1&du=x&au=y",
        "/agenda/structures/{a}/semaine?debut=x",
        "/agenda/personnes/{p2}",
    ],
)
def test_bad_pages_are_french_error_pages(client, world, path):
    login(client, "coord_a")
    r = client.get(
        path.format(a=world.structures["a"], b=world.structures["b"], p2=world.persons["p2"])
    )
    assert r.status_code in (200, 400, 403, 404), r.text[:300]
    assert "Traceback" not in r.text and 'lang="fr"' in r.text


def test_bad_forms_are_4xx(client, world):
    login(client, "coord_a")
    sid = world.structures["a"]
    page = client.get(f"/agenda/structures/{sid}/nouveau")
    token = csrf_from(page.text)
    for data in (
        {"kind": "meeting"},
        {"kind": "meeting", "date": "x", "start_time": "08:00"},
        {"kind": "meeting", "date": "2030-01-01", "start_time": "8h", "professional_ids": ["abc"]},
        {"kind": "meeting", "date": "2030-01-01", "start_time": "08:00", "repetition": "rrule"},
    ):
        r = client.post(f"/agenda/structures/{sid}/nouveau", data={"_csrf_token": token, **data})
        assert r.status_code == 400, r.text[:300]
        assert "notice-error" in r.text
    r = client.post(f"/agenda/structures/{sid}/import", data={"_csrf_token": token})
    assert r.status_code == 400 and "fichier .ics" in r.text
