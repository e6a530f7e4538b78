"""The agenda benchmark on both engines in one run (smoke run: no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ("ma_journee", "team_week", "free_slots_team_week")


def test_bench_agenda_small_side_by_side_on_postgres(tmp_path, pg_url):
    result = subprocess.run(
        [
            str(ROOT / "scripts" / "bench-agenda"),  # the wrapper passes its arguments through
            "--small",
            "--db",
            str(tmp_path / "b.db"),
            "--postgres",
            pg_url,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    pg = report["postgresql"]
    assert pg["copy"]["rows"] > 0 and pg["copy"]["tables"] > 10
    # the same data and the same queries on both engines: the same answers
    assert pg["dataset"] == {**report["dataset"], "database_mb": pg["dataset"]["database_mb"]}
    assert pg["checks"] == report["checks"]
    for name in QUERIES:
        assert {"p50_ms", "p95_ms", "p99_ms"} <= set(report["results"][name])
        assert "raw_sqlite" in report["results"][name]
        assert {"p50_ms", "p95_ms", "p99_ms"} <= set(pg["results"][name]["raw_psycopg"])
        for engine in ("sqlite", "postgresql"):
            row = report["side_by_side"][name][engine]
            assert row["p95_ms"] > 0 and row["ratio_p95"] > 0
    assert set(report["side_by_side"]["ma_journee_http"]) == {"sqlite", "postgresql"}
    assert report["machine"]["postgresql"]
    assert "requête" in result.stderr  # the table, side by side
