"""The benchmark scripts run on a fresh machine and leave nothing behind (smoke runs: no timing is
asserted, benchmarks are not performance tests)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHES = sorted(p for p in (ROOT / "scripts").glob("bench-*"))
BOOTSTRAP_UV = ROOT / ".cache" / "bootstrap" / "bin" / "uv"


def test_every_benchmark_finds_uv_like_scripts_test():
    assert {p.name for p in BENCHES} >= {
        "bench-agenda",
        "bench-directory",
        "bench-orientation",
        "bench-transmissions",
    }
    for script in BENCHES:
        text = script.read_text()
        assert text.startswith("#!/usr/bin/env bash\n"), script.name
        assert ". scripts/lib.sh" in text and "ensure_uv" in text, script.name
        assert '"$UV" run --no-sync' in text, script.name
        assert os.access(script, os.X_OK), script.name
        if "trap" in text:  # its temporary files go to a folder removed on exit
            assert "TMPDIR=" in text and "trap 'rm -rf" in text, script.name
        python = ROOT / "scripts" / f"bench_{script.name.removeprefix('bench-')}.py"
        assert python.exists(), script.name


def _without_uv_on_path() -> dict[str, str]:
    if not BOOTSTRAP_UV.exists():
        pytest.skip("uv comes from PATH here: .cache/bootstrap/bin/uv is not installed")
    path = [p for p in os.environ["PATH"].split(os.pathsep) if not (Path(p) / "uv").exists()]
    return {**os.environ, "PATH": os.pathsep.join(path)}


def test_bench_directory_small_runs_without_uv_on_path(tmp_path):
    env = {**_without_uv_on_path(), "TMPDIR": str(tmp_path)}
    result = subprocess.run(
        [str(ROOT / "scripts" / "bench-directory"), "--small", "--queries", "20"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["scale"]["structures"] == 2000 and report["scale"]["professionals"] == 20_000
    for kind in ("fulltext", "prefix", "distance", "professionals"):
        side_by_side = report["p95_ms"][kind]
        assert set(side_by_side) == {"floor", "virage"}
        for measured in ("virage", "floor"):
            figures = report["search"][kind][measured]
            assert {"p50_ms", "p95_ms", "p99_ms", "cpu"} <= set(figures)
    finess = report["import"]["finess_json"]
    assert finess["structures"] == 2000 and finess["seconds"] > 0
    assert finess["establishments"] + finess["legal_entities"] == 2000
    assert report["import"]["professionals"]["per_second"] > 0
    assert list(tmp_path.iterdir()) == []  # the temporary folder is gone


def test_bench_orientation_removes_its_database_when_stopped(tmp_path):
    env = {**_without_uv_on_path(), "TMPDIR": str(tmp_path)}
    bench = subprocess.Popen(
        [str(ROOT / "scripts" / "bench-orientation"), "--structures", "1000000"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(600):  # wait until the database is being written
            # a SQLite file even in the suite's PostgreSQL pass (bench_common)
            if list(tmp_path.glob("virage-bench-orientation.*/*/bench.db")):
                break
            assert bench.poll() is None, bench.stderr.read()
            time.sleep(0.5)
        else:
            pytest.fail("the benchmark never created its database")
    finally:
        os.killpg(bench.pid, signal.SIGTERM)
        bench.wait(timeout=120)
    assert list(tmp_path.iterdir()) == []


def test_bench_orientation_small_leaves_nothing_behind(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_orientation.py"), "--small"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "ranking_ms" in json.loads(result.stdout)
    assert list(tmp_path.iterdir()) == []


def _wrapper(name: str, *args: str, tmp_path: Path) -> dict:
    result = subprocess.run(
        [str(ROOT / "scripts" / name), *args],  # the wrapper passes its arguments through
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "requête" in result.stderr  # the table, side by side
    assert list(tmp_path.iterdir()) == []
    return json.loads(result.stdout)


def test_bench_directory_small_side_by_side_on_postgres(tmp_path, pg_url):
    report = _wrapper(
        "bench-directory", "--small", "--queries", "20", "--postgres", pg_url, tmp_path=tmp_path
    )
    pg = report["postgresql"]
    assert pg["scale"]["structures"] == 2000 and pg["scale"]["professionals"] == 20_000
    assert pg["import"]["finess_json"]["seconds"] > 0  # imported there too, same file and seed
    assert pg["import"]["professionals"]["per_second"] > 0
    for kind in ("fulltext", "prefix", "distance", "professionals"):
        assert set(report["p95_ms"][kind]) == {"floor", "virage"}
        assert set(pg["p95_ms"][kind]) == {"floor", "virage"}
        # the same searches on the same directory: the same matches
        assert pg["search"][kind]["mean_matches"] == report["search"][kind]["mean_matches"]
        for engine in ("sqlite", "postgresql"):
            row = report["side_by_side"][kind][engine]
            assert {"p50_ms", "p95_ms", "p99_ms", "baseline_p95_ms", "ratio_p95"} <= set(row)


def test_bench_orientation_small_side_by_side_on_postgres(tmp_path, pg_url):
    report = _wrapper("bench-orientation", "--small", "--postgres", pg_url, tmp_path=tmp_path)
    pg = report["postgresql"]
    assert pg["copy"]["rows"] > 2000
    assert {"p50", "p95", "p99"} <= set(report["ranking_ms"]) and "raw_sqlite_floor_ms" in report
    assert {"p50", "p95", "p99"} <= set(pg["ranking_ms"]) and "raw_psycopg_floor_ms" in pg
    assert pg["proposals_per_request"] == report["proposals_per_request"]
    assert set(report["side_by_side"]["ranking"]) == {"sqlite", "postgresql"}
