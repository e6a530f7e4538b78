"""The benchmark script runs (smoke run, no timing asserted: it is not a performance test)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_directory_small_runs_and_prints_json():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench-directory"), "--small", "--queries", "20"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["scale"]["structures"] == 2000
    for kind in ("fulltext", "prefix", "distance", "professionals_fulltext"):
        assert {"p50_ms", "p95_ms", "p99_ms", "floor", "ratio_p95"} <= set(report["search"][kind])
    assert report["import"]["professionals"]["per_second"] > 0
