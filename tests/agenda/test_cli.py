"""The agenda's command line, the retention purge, and the benchmark script's smoke run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.accounts.conftest import bearer
from tests.agenda.helpers import visit
from virage.cli import main
from virage.db import connect

ROOT = Path(__file__).resolve().parents[2]


def test_purge_removes_the_persons_agenda(world, client, monkeypatch):
    p1 = world.persons["p1"]
    visit(client, world, start="2020-01-06T08:00", recurrence={"rrule": "FREQ=DAILY;COUNT=5"})
    visit(client, world, start="2020-02-06T08:00", notes="à effacer")
    client.post(f"/api/v1/persons/{p1}/close", headers=bearer(world, "coord_a"))
    db = connect(world.settings.db_path)
    db.execute("UPDATE persons SET closed_at = '2019-01-01T00:00:00+00:00' WHERE id = ?", [p1])
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    assert main(["persons", "purge", "--apply"]) == 0
    for table in ("agenda_appointments", "agenda_series"):
        assert (
            db.execute(f"SELECT count(*) FROM {table} WHERE person_id = ?", [p1]).fetchone()[0] == 0
        )
    assert db.execute("SELECT count(*) FROM agenda_attendees").fetchone()[0] == 0
    db.conn.close()


def test_cli_privacy_materialise_and_import(world, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    assert main(["agenda", "privacy", "SSIAD A", "none"]) == 0
    assert "aucune information sur la personne" in capsys.readouterr().out
    assert main(["agenda", "privacy", "SSIAD A", "tout"]) == 2
    assert main(["agenda", "materialise", "--days", "30"]) == 0
    assert "rendez-vous préparé" in capsys.readouterr().out
    ics = tmp_path / "a.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//\r\nBEGIN:VEVENT\r\nUID:x@t\r\n"
        "SUMMARY:Réunion\r\nDTSTART:20300902T080000Z\r\nDTEND:20300902T090000Z\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    code = main(
        [
            "agenda",
            "import",
            str(ics),
            "--structure",
            "SSIAD A",
            "--as",
            "coord_a",
            "--professional",
            "nurse_a",
        ]
    )
    assert code == 0
    assert "1 rendez-vous créé, 0 refusé" in capsys.readouterr().out
    assert (
        main(
            [
                "agenda",
                "import",
                str(ics),
                "--structure",
                "SSIAD A",
                "--as",
                "nurse_a",
                "--professional",
                "nurse_a",
            ]
        )
        == 1
    )
    assert "Votre rôle" in capsys.readouterr().err


def test_bench_script_small_mode(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench_agenda.py"),
            "--small",
            "--db",
            str(tmp_path / "b.db"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["dataset"]["occurrences"] > 1000
    for name in ("ma_journee", "team_week", "free_slots_team_week"):
        assert {"p50_ms", "p95_ms", "p99_ms"} <= set(report["results"][name])
        assert "raw_sqlite" in report["results"][name]
