"""The benchmark script runs (smoke run on a small dataset; no timing asserted), on the engine
of the suite's pass."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_transmissions_small_runs_and_prints_json(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench_transmissions.py"),
            "--small",
            "--runs",
            "5",
            "--db",
            str(tmp_path / "bench.db"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # the suite's PostgreSQL pass turns the path into a schema: the script runs on that engine
    assert report["engine"] == (
        "postgresql" if os.environ.get("VIRAGE_TEST_POSTGRES") else "sqlite"
    )
    assert report["dataset"]["transmissions"] > 1000
    assert report["results"]["nurse_persons"] == 40
    for name in (
        "timeline",
        "since_last_shift_40_persons",
        "search_nurse_40_persons",
        "search_coordinator_structure",
        "unacknowledged_urgent",
    ):
        measured = report["results"][name]
        assert {"p50_ms", "p95_ms", "p99_ms"} <= set(measured)
        assert {"p50_ms", "p95_ms"} <= set(measured[f"raw_{report['engine']}"])
    assert report["results"]["search_nurse_40_persons"]["results_mean"] > 0
    assert isinstance(report["all_under_target"], bool)
