"""``.ics`` imports: what a file can make the server do, and what it can make it say (issue 14).

Text from the file is never echoed raw (control characters, terminal escapes, long excerpts), on
the command line as in the API; floods (events, EXDATE, nesting, occurrences) are bounded.
"""

from __future__ import annotations

import re
import threading

import anyio
import anyio.to_thread
import pytest

from tests.accounts.conftest import bearer, csrf_from, login
from tests.agenda.helpers import API, dateutil_budget, ics, import_cli
from virage.agenda import importing
from virage.agenda.limits import clean_line, excerpt
from virage.errors import TooManyRequests

ESC = "\x1b"
NASTY = f"{ESC}[2J{ESC}[31mRouge{ESC}]0;titre volé\x07\x07\x00\x08\x9b31m\u202eenilno\u202c"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _import(client, world, content: bytes, who: str = "coord_a", **params):
    query = {"professional": world.users["nurse_a"], **params}
    return client.post(
        f"{API}/import",
        params=query,
        content=content,
        headers={**bearer(world, who), "Content-Type": "text/calendar"},
    )


def test_excerpt_removes_escapes_and_controls_and_shortens():
    assert excerpt(NASTY) == "Rouge enilno"
    assert clean_line("a\r\nb\tc\u2028d") == "a b c d"
    long = excerpt("x" * 500, 80)
    assert len(long) == 80 and long.endswith("…")
    assert excerpt(b"\xff\xfe" + ESC.encode() + b"[1mgras") == "\ufffd\ufffd gras"


def test_api_report_echoes_no_control_characters(client, world):
    content = ics(
        f"UID:{NASTY}\r\nSUMMARY:{NASTY}\r\nDTSTART:{NASTY}",
        f"UID:ok@t\r\nSUMMARY:{NASTY} {'long ' * 100}\r\nDTSTART:20300108T080000",
    )
    r = _import(client, world, content)
    assert r.status_code == 200, r.text
    report = r.json()
    echoed = [v for line in report["created"] + report["rejected"] for v in line.values()]
    for value in filter(None, echoed):
        assert not CONTROL.search(str(value)), repr(value)
        assert len(str(value)) <= 400
    created = report["created"][0]
    assert created["summary"].startswith("Rouge enilno long") and created["summary"].endswith("…")
    assert len(created["summary"]) == 80
    stored = client.get(
        f"{API}/appointments/{created['appointment_id']}", headers=bearer(world, "coord_a")
    ).json()
    assert not CONTROL.search(stored["title"]) and len(stored["title"]) <= 120


def test_cli_output_has_no_terminal_escapes(world, tmp_path):
    path = tmp_path / "piege.ics"
    path.write_bytes(
        ics(
            f"UID:{NASTY}\r\nSUMMARY:{NASTY}\r\nDTSTART:20300107T080000\r\nRRULE:FREQ={NASTY}",
            f"UID:{NASTY}2\r\nSUMMARY:{NASTY}\r\nDTSTART:{NASTY}",
        )
    )
    result = import_cli(world, path)
    assert result.exit_code == 0, result.output
    assert "0 rendez-vous créé, 2 refusés" in result.output
    assert not CONTROL.search(result.output.replace("\n", "")), repr(result.output)
    assert all(len(line) <= 600 for line in result.output.splitlines())


@pytest.mark.parametrize(
    "content",
    [
        f"BEGIN:VCALENDAR\r\n{NASTY * 50}\r\nEND:VCALENDAR\r\n".encode(),
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + b"\xff\xfe\x1b[31m" * 300 + b"\r\n",
        b"\x1b[2J" + b"A" * 5000,
    ],
)
def test_unreadable_files_are_refused_without_echoing_them(client, world, tmp_path, content):
    r = _import(client, world, content)
    assert r.status_code == 400, r.text
    detail = r.json()["detail"]
    assert not CONTROL.search(detail) and len(detail) <= 300, detail
    path = tmp_path / "illisible.ics"
    path.write_bytes(content)
    result = import_cli(world, path)
    assert result.exit_code != 0
    message = str(result.exception)
    assert not CONTROL.search(message) and len(message) <= 300, message


def test_too_many_events_are_refused_before_parsing(client, world):
    event = "UID:{}@t\r\nDTSTART:20300107T080000"
    content = ics(*(event.format(i) for i in range(importing.MAX_IMPORT_EVENTS + 1)))
    r = _import(client, world, content)
    assert r.status_code == 400 and "2001 événements : 2000 au plus" in r.json()["detail"]


def test_deep_nesting_is_refused(client, world):
    content = b"BEGIN:VCALENDAR\r\n" + b"BEGIN:X\r\n" * 5000 + b"END:X\r\n" * 5000
    content += b"END:VCALENDAR\r\n"
    r = _import(client, world, content)
    assert r.status_code == 400 and "imbrique" in r.json()["detail"]


def test_exdate_and_rdate_floods_are_refused_event_by_event(client, world):
    days = [f"2030{m:02d}{d:02d}T080000" for m in range(1, 13) for d in range(1, 29)]
    exdates = "\r\n".join(f"EXDATE:{d}" for d in days[:300]) + "\r\nEXDATE:" + ",".join(days)
    rdates = "RDATE:" + ",".join(f"2030{m:02d}01T080000" for m in range(1, 13))
    rrule = "RRULE:FREQ=DAILY;UNTIL=20301231"
    content = ics(
        f"UID:ex@t\r\nDTSTART:20300101T080000\r\n{rrule}\r\n{exdates}",
        f"UID:rd@t\r\nDTSTART:20300101T080000\r\n{rrule}\r\n{rdates}",
        f"UID:two@t\r\nDTSTART:20300101T080000\r\n{rrule}\r\nRRULE:FREQ=WEEKLY",
    )
    with dateutil_budget():
        r = _import(client, world, content)
    assert r.status_code == 200, r.text
    reasons = {line["uid"]: line["reason"] for line in r.json()["rejected"]}
    assert "500 exceptions (EXDATE)" in reasons["ex@t"]
    assert "RDATE" in reasons["rd@t"]
    assert "plusieurs règles" in reasons["two@t"]


def test_occurrences_of_one_file_are_bounded(client, world, monkeypatch):
    monkeypatch.setattr(importing, "MAX_IMPORT_OCCURRENCES", 10)
    event = "UID:{}@t\r\nDTSTART:203001{:02d}T080000\r\nRRULE:FREQ=DAILY;COUNT=6"
    content = ics(*(event.format(i, i + 1) for i in range(4)))
    r = _import(client, world, content, kind="on_call", dry_run="true")
    assert r.status_code == 200, r.text
    report = r.json()
    assert len(report["created"]) == 2  # 12 occurrences: the limit of 10 is reached
    assert all("limite d'un import" in line["reason"] for line in report["rejected"])


def test_too_many_lines_are_refused_before_parsing(client, world):
    content = ics("X-A:1\r\n" * importing.MAX_IMPORT_LINES + "UID:x@t\r\nDTSTART:20300107T080000")
    r = _import(client, world, content)
    assert r.status_code == 400 and "60000 lignes" in r.json()["detail"]


def test_files_are_parsed_off_the_event_loop(client, world, monkeypatch):
    threads = []

    def recording(content):
        threads.append(threading.current_thread().name)
        return parse(content)

    parse = importing.parse
    monkeypatch.setattr(importing, "parse", recording)
    r = _import(client, world, ics("UID:x@t\r\nDTSTART:20300107T080000"))
    assert r.status_code == 200, r.text
    assert threads and threads[0].startswith("AnyIO worker thread"), threads


def test_imports_waiting_for_the_parser_are_bounded(monkeypatch):
    started, release = threading.Event(), threading.Event()

    def slow(content):
        started.set()
        release.wait(10)
        return []

    monkeypatch.setattr(importing, "parse", slow)

    async def scenario():
        async with anyio.create_task_group() as group:
            group.start_soon(importing.parse_in_thread, b"1")
            await anyio.to_thread.run_sync(started.wait, 10)
            for _ in range(importing.PARSE_QUEUE):
                group.start_soon(importing.parse_in_thread, b"2")
            await anyio.wait_all_tasks_blocked()
            with pytest.raises(TooManyRequests):
                await importing.parse_in_thread(b"3")
            release.set()

    anyio.run(scenario)


def test_web_report_in_paris_time_without_control_characters(client, world):
    login(client, "coord_a")
    sid = world.structures["a"]
    token = csrf_from(client.get(f"/agenda/structures/{sid}/import").text)
    content = ics(
        f"UID:a@t\r\nSUMMARY:{NASTY}\r\nDTSTART:20300107T080000",
        f"UID:b@t\r\nSUMMARY:{NASTY}\r\nDTSTART:{NASTY}",
    )
    r = client.post(
        f"/agenda/structures/{sid}/import",
        data={
            "_csrf_token": token,
            "professional_ids": str(world.users["nurse_a"]),
            "kind": "meeting",
            "dry_run": "1",
        },
        files={"file": ("piege.ics", content)},
    )
    assert r.status_code == 200, r.text[:300]
    assert "Rouge enilno — 7 janvier 2030 à 8 h 00" in r.text
    assert not CONTROL.search(r.text.replace("\n", "")), "control characters in the page"
