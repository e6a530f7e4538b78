"""Helpers of the agenda tests: book through the API, list occurrences, pick dates, bound
dateutil's work, run the command line, write ``.ics`` files."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

from click.testing import CliRunner
from dateutil import rrule as dateutil_rrule

from tests.accounts.conftest import bearer
from virage.agenda.timeutil import today_paris
from virage.cli import Context, cli
from virage.db import connect
from virage.plugins import PluginHost

API = "/api/v1/agenda"


def book(client, world, who: str, **body):
    """Book through the API as ``who``; return the response."""
    payload = {"kind": "meeting", "professional_ids": [world.users["nurse_a"]], **body}
    return client.post(f"{API}/appointments", json=payload, headers=bearer(world, who))


def visit(client, world, who: str = "coord_a", **body):
    payload = {
        "kind": "home_visit",
        "person_id": world.persons["p1"],
        "professional_ids": [world.users["nurse_a"]],
        **body,
    }
    return client.post(f"{API}/appointments", json=payload, headers=bearer(world, who))


def occurrences(client, world, who: str, start: str, end: str, **params):
    r = client.get(
        f"{API}/appointments",
        params={"start": start, "end": end, **params},
        headers=bearer(world, who),
    )
    assert r.status_code == 200, r.text
    return r.json()


def next_weekday(weekday: int, weeks_ahead: int = 1) -> date:
    """A date ``weeks_ahead`` weeks ahead falling on ``weekday`` (0 = Monday)."""
    today = today_paris()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks_ahead)
    return monday + timedelta(days=weekday)


# --------------------------------------------------------------------------- bounded work


class WorkExceeded(AssertionError):
    """dateutil examined more days than the budget: an expansion that is not bounded."""


@contextmanager
def dateutil_budget(days: int = 200_000):
    """Count the days ``dateutil.rrule`` examines (every period of every expansion, time zones
    of ``.ics`` files included) and fail beyond ``days``, instead of hanging.

    A ten-year daily series examines 3,660 days; a rule that never produces an occurrence
    examines ~2.9 million (until the year 9999), ``INTERVAL=0`` forever. This reaches into
    dateutil's private iterator on purpose: it is the only place where its work can be counted.
    """
    info = dateutil_rrule._iterinfo
    names = ("ydayset", "mdayset", "wdayset", "ddayset")
    originals = {name: getattr(info, name) for name in names}
    spent = [0]

    def counting(original):
        def counted(self, *args):
            result = original(self, *args)
            spent[0] += result[2] - result[1]
            if spent[0] > days:
                raise WorkExceeded(f"dateutil examined more than {days} days")
            return result

        return counted

    for name, original in originals.items():
        setattr(info, name, counting(original))
    try:
        yield spent
    finally:
        for name, original in originals.items():
            setattr(info, name, original)


# --------------------------------------------------------------------------- command line


def run_cli(world, *args: str):
    """Run ``virage …`` with click's CliRunner on the world's database; return the result."""
    host = PluginHost(world.settings)
    host.call("register_commands", cli=cli)
    return CliRunner().invoke(cli, list(args), obj=Context(world.settings, host))


def import_cli(world, path, *extra: str, who: str = "coord_a"):
    return run_cli(
        world,
        "agenda",
        "import",
        str(path),
        "--structure",
        "SSIAD A",
        "--as",
        who,
        "--professional",
        "nurse_a",
        *extra,
    )


def ics(*events: str, head: str = "") -> bytes:
    """A calendar file around VEVENT bodies (lines separated by CRLF)."""
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//FR\r\n{head}{body}END:VCALENDAR\r\n"
    ).encode()


def series_rows(world, series_id: int) -> list[str]:
    """The UTC starts of a series' occurrences, read from the database."""
    db = connect(world.settings.db_path)
    try:
        rows = db.execute(
            "SELECT start_utc FROM agenda_appointments WHERE series_id = ? ORDER BY start_utc",
            [series_id],
        ).fetchall()
    finally:
        db.conn.close()
    return [r[0] for r in rows]
