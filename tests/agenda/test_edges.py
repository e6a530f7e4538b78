"""Dates at the edges (years 1 and 9999, offsets that overflow) and integers above 2⁶³ in every
agenda input: a French 4xx, never a 500 (issue 14, item 2)."""

from __future__ import annotations

from tests.accounts.conftest import bearer, csrf_from, login
from tests.agenda.helpers import API, book, ics, import_cli, visit

BIG = str(2**64)
EDGE_MOMENTS = [
    "0001-01-01T00:00",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59",
    "9999-12-31T23:00:00-05:00",
    "1999-12-31T23:00",
    "2100-01-01T08:00",
]
EDGE_DAYS = ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01"]


def _french_400(r, case) -> None:
    assert r.status_code == 400, (case, r.text[:300])
    text = r.json()["detail"] + str(r.json().get("errors", ""))
    assert "2000" in text and "2099" in text, (case, text)


def test_api_bodies(client, world):
    for moment in EDGE_MOMENTS:
        for field in ("start", "end", "exdate"):
            body = {"start": "2030-01-07T08:00", "end": "2030-01-07T09:00"}
            if field == "exdate":
                body["recurrence"] = {"rrule": "FREQ=DAILY;COUNT=3", "exdates": [moment]}
            else:
                body[field] = moment
            _french_400(book(client, world, "coord_a", **body), (field, moment))
    first = book(client, world, "coord_a", start="2030-01-07T08:00").json()
    for moment in EDGE_MOMENTS:
        for body in ({"start": moment}, {"end": moment}):
            r = client.patch(
                f"{API}/appointments/{first['id']}", json=body, headers=bearer(world, "coord_a")
            )
            _french_400(r, body)


def test_api_absences(client, world):
    nurse = world.users["nurse_a"]
    for day in EDGE_DAYS:
        for body in (
            {"kind": "leave", "start": day, "end": "2030-01-02"},
            {"kind": "leave", "start": "2030-01-01", "end": day},
            {"kind": "leave", "start": f"{day}T08:00", "end": "2030-01-02"},
        ):
            r = client.post(
                f"{API}/professionals/{nurse}/absences",
                json=body,
                headers=bearer(world, "coord_a"),
            )
            _french_400(r, body)


API_QUERIES = [
    "/appointments?start={d}",
    "/appointments?start=2030-01-01&end={d}",
    "/me/day?date={d}",
    "/week?start={d}",
    "/free-slots?from={d}",
    "/free-slots?from=2030-01-01&to={d}",
    "/persons/{p1}/appointments?start={d}",
    "/persons/{p1}/appointments?start=2030-01-01&end={d}",
]


def test_api_query_strings(client, world):
    for day in EDGE_DAYS:
        for query in API_QUERIES:
            path = query.format(d=day, p1=world.persons["p1"])
            _french_400(client.get(f"{API}{path}", headers=bearer(world, "coord_a")), path)


WEB_QUERIES = [
    "/agenda/ma-journee?jour={d}",
    "/agenda/structures/{a}/semaine?debut={d}",
    "/agenda/structures/{a}/creneaux?chercher=1&du={d}&au=2030-01-03",
    "/agenda/structures/{a}/creneaux?chercher=1&du=2030-01-01&au={d}",
]


def test_web_query_strings(client, world):
    login(client, "coord_a")
    for day in EDGE_DAYS:
        for page in WEB_QUERIES:
            r = client.get(page.format(d=day, a=world.structures["a"]))
            assert r.status_code in (200, 400), (page, day, r.text[:300])
            assert "2099" in r.text and 'lang="fr"' in r.text, (page, day)


def test_web_booking_page_ignores_an_impossible_prefilled_start(client, world):
    login(client, "coord_a")
    for start in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:00-05:00"):
        r = client.get(
            f"/agenda/structures/{world.structures['a']}/nouveau", params={"debut": start}
        )
        assert r.status_code == 200, r.text[:300]


def test_web_forms(client, world):
    login(client, "coord_a")
    sid = world.structures["a"]
    token = csrf_from(client.get(f"/agenda/structures/{sid}/nouveau").text)
    base = {
        "_csrf_token": token,
        "kind": "meeting",
        "date": "2030-01-07",
        "start_time": "08:00",
        "professional_ids": [str(world.users["nurse_a"])],
    }
    appointment = visit(client, world, start="2030-07-01T08:00").json()["id"]
    for day in EDGE_DAYS:
        for extra in ({"date": day}, {"repetition": "daily", "jusqu_au": day}):
            r = client.post(f"/agenda/structures/{sid}/nouveau", data={**base, **extra})
            assert r.status_code == 400 and "2099" in r.text, (extra, r.text[:300])
        r = client.post(
            f"/agenda/rendez-vous/{appointment}/modifier",
            data={"_csrf_token": token, "date": day, "start_time": "08:00", "end_time": "09:00"},
        )
        assert r.status_code == 400 and "2099" in r.text, (day, r.text[:300])
        r = client.post(
            f"/agenda/structures/{sid}/disponibilites/absences",
            data={
                "_csrf_token": token,
                "user_id": str(world.users["nurse_a"]),
                "kind": "leave",
                "start": day,
                "end": "2030-01-02",
            },
        )
        assert r.status_code == 400 and "2099" in r.text, (day, r.text[:300])


EDGE_EVENTS = [
    "DTSTART:00010101T000000Z",
    "DTSTART:99991231T235959Z",
    "DTSTART:00010101T000000",
    "DTSTART;TZID=America/New_York:99991231T230000",
    "DTSTART:20300107T080000\r\nDTEND:99991231T235959Z",
    "DTSTART:20300107T080000\r\nDURATION:P99999999W",
    "DTSTART:20300107T080000\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEXDATE:00010101T000000Z",
    "DTSTART:20300107T080000\r\nRRULE:FREQ=DAILY;UNTIL=99991231T235959Z",
]


def test_ics_dates(client, world, tmp_path):
    for number, lines in enumerate(EDGE_EVENTS):
        content = ics(f"UID:edge{number}@t\r\nSUMMARY:Réunion\r\n{lines}")
        r = client.post(
            f"{API}/import?professional={world.users['nurse_a']}",
            content=content,
            headers={**bearer(world, "coord_a"), "Content-Type": "text/calendar"},
        )
        assert r.status_code == 200, (lines, r.text)
        assert r.json()["created"] == [] and len(r.json()["rejected"]) == 1, lines
        assert r.json()["rejected"][0]["reason"]
        path = tmp_path / f"edge{number}.ics"
        path.write_bytes(content)
        result = import_cli(world, path)
        assert result.exit_code == 0 and "0 rendez-vous créé, 1 refusé" in result.output, lines


# --------------------------------------------------------------------------- integers


API_WITH_BIG = [
    ("GET", f"/appointments/{BIG}", None),
    ("PATCH", f"/appointments/{BIG}", {"title": "x"}),
    ("POST", f"/appointments/{BIG}/cancel", {"reason": "plus besoin"}),
    ("POST", f"/appointments/{BIG}/status", {"status": "confirmed"}),
    ("POST", f"/appointments/{BIG}/check-in", None),
    ("GET", f"/professionals/{BIG}/working-hours", None),
    ("PUT", f"/professionals/{BIG}/working-hours", {"slots": []}),
    ("GET", f"/professionals/{BIG}/absences", None),
    ("DELETE", f"/absences/{BIG}", None),
    ("PUT", f"/teams/{BIG}", {"name": "x"}),
    ("DELETE", f"/teams/{BIG}", None),
    ("GET", f"/persons/{BIG}/appointments", None),
    ("GET", f"/appointments?professional={BIG}", None),
    ("GET", f"/appointments?person={BIG}", None),
    ("GET", f"/week?team={BIG}", None),
    ("GET", f"/week?professional={BIG}", None),
    ("GET", f"/free-slots?professional={BIG}", None),
    ("GET", f"/free-slots?team={BIG}", None),
    ("POST", f"/import?professional={BIG}", None),
    (
        "POST",
        "/appointments",
        {"kind": "meeting", "start": "2030-01-07T08:00", "professional_ids": [2**64]},
    ),
    (
        "POST",
        "/appointments",
        {
            "kind": "meeting",
            "start": "2030-01-07T08:00",
            "professional_ids": [4],
            "person_id": 2**64,
        },
    ),
    ("POST", "/teams", {"name": "x", "member_ids": [2**64]}),
]


def test_api_integers_above_2_63(client, world):
    for method, path, body in API_WITH_BIG:
        r = client.request(method, f"{API}{path}", json=body, headers=bearer(world, "coord_a"))
        assert 400 <= r.status_code < 500, (method, path, r.text)
        assert r.json()["detail"] and "Traceback" not in r.text, path


def test_api_patch_with_an_integer_above_2_63(client, world):
    first = book(client, world, "coord_a", start="2030-01-07T08:00").json()
    r = client.patch(
        f"{API}/appointments/{first['id']}",
        json={"professional_ids": [2**64]},
        headers=bearer(world, "coord_a"),
    )
    assert r.status_code == 400, r.text


WEB_PAGES_WITH_BIG = [
    f"/agenda/rendez-vous/{BIG}",
    f"/agenda/structures/{BIG}/semaine",
    f"/agenda/personnes/{BIG}",
    "/agenda/structures/{a}/semaine?equipe=" + BIG,
    "/agenda/structures/{a}/semaine?pro=" + BIG,
    "/agenda/structures/{a}/creneaux?chercher=1&pro=" + BIG,
    "/agenda/structures/{a}/creneaux?chercher=1&equipe=" + BIG,
    "/agenda/structures/{a}/creneaux?chercher=1&duree=" + BIG,
    "/agenda/structures/{a}/disponibilites?pro=" + BIG,
    "/agenda/structures/{a}/nouveau?personne=" + BIG,
    "/agenda/structures/{a}/nouveau?pro=" + BIG,
]


def test_web_pages_with_integers_above_2_63(client, world):
    login(client, "coord_a")
    for page in WEB_PAGES_WITH_BIG:
        r = client.get(page.format(a=world.structures["a"]))
        assert 200 <= r.status_code < 500, (page, r.text[:300])
        assert 'lang="fr"' in r.text and "Erreur interne" not in r.text, page


WEB_FORMS_WITH_BIG = [
    ("/agenda/structures/{a}/nouveau", {"professional_ids": BIG}),
    ("/agenda/structures/{a}/nouveau", {"person_id": BIG}),
    ("/agenda/structures/{a}/nouveau", {"duration": BIG, "end_time": ""}),
    ("/agenda/structures/{a}/disponibilites/horaires", {"user_id": BIG}),
    ("/agenda/structures/{a}/disponibilites/absences", {"user_id": BIG}),
    ("/agenda/structures/{a}/equipes", {"name": "x", "member_ids": BIG}),
    ("/agenda/structures/{a}/equipes", {"name": "x", "team_id": BIG}),
    ("/agenda/structures/{a}/import", {"professional_ids": BIG}),
    ("/agenda/rendez-vous/{id}/modifier", {"professional_ids": BIG}),
    (f"/agenda/rendez-vous/{BIG}/annuler", {"reason": "plus besoin"}),
    (f"/agenda/structures/{{a}}/equipes/{BIG}/supprimer", {}),
    (f"/agenda/structures/{{a}}/disponibilites/absences/{BIG}/supprimer", {}),
]


def test_web_forms_with_integers_above_2_63(client, world):
    appointment = visit(client, world, start="2030-07-01T08:00").json()["id"]
    login(client, "coord_a")
    sid = world.structures["a"]
    token = csrf_from(client.get(f"/agenda/structures/{sid}/nouveau").text)
    for path, fields in WEB_FORMS_WITH_BIG:
        data = {
            "_csrf_token": token,
            "kind": "meeting",
            "date": "2030-01-07",
            "start_time": "08:00",
            "end_time": "09:00",
            "professional_ids": str(world.users["nurse_a"]),
            "user_id": str(world.users["nurse_a"]),
            "start": "2030-01-01",
            "end": "2030-01-02",
            **fields,
        }
        files = {"file": ("a.ics", ics("UID:x@t\r\nDTSTART:20300107T080000"))}
        r = client.post(
            path.format(a=sid, id=appointment),
            data=data,
            files=files if "import" in path else None,
            follow_redirects=False,
        )
        assert 400 <= r.status_code < 500, (path, fields, r.text[:300])
        assert "Erreur interne" not in r.text, (path, fields)
